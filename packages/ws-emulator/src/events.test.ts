import {
  collectHeaders,
  collectQuery,
  connectEvent,
  disconnectEvent,
  disconnectReasonFor,
  formatRequestTime,
  messageEvent,
  ConnectionFacts,
} from './events';

const facts: ConnectionFacts = {
  connectionId: 'L0SM9cOFvHcCIhw=',
  connectedAt: 1707502303419,
  sourceIp: '127.0.0.1',
  userAgent: 'test-agent',
  stage: 'dev',
  domainName: 'example.test',
  apiId: 'abcde12345',
  headers: { Host: 'example.test' },
  multiValueHeaders: { Host: ['example.test'] },
};

describe('events', () => {
  it('formats requestTime in common log format, UTC', () => {
    expect(formatRequestTime(Date.UTC(2024, 1, 9, 18, 11, 43, 500))).toBe(
      '09/Feb/2024:18:11:43 +0000',
    );
    expect(formatRequestTime(Date.UTC(2025, 11, 31, 3, 4, 5))).toBe(
      '31/Dec/2025:03:04:05 +0000',
    );
  });

  it('keeps header casing, joins repeats and omits named headers', () => {
    const { headers, multiValueHeaders } = collectHeaders(
      ['Host', 'a', 'X-Multi', '1', 'x-multi', '2', 'Authorization', 's'],
      new Set(['authorization']),
    );
    expect(headers).toEqual({ Host: 'a', 'X-Multi': '1,2' });
    expect(multiValueHeaders).toEqual({ Host: ['a'], 'X-Multi': ['1', '2'] });
  });

  it('leaves query parameters out when there are none', () => {
    expect(collectQuery('')).toEqual({});
    expect(collectQuery('?a=1&a=2&b=x')).toEqual({
      queryStringParameters: { a: '2', b: 'x' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x'] },
    });
  });

  it('builds CONNECT with userAgent and no body', () => {
    const event = connectEvent(facts, 1707502303420);
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      identity: { userAgent: 'test-agent', sourceIp: '127.0.0.1' },
      requestTimeEpoch: 1707502303420,
    });
    expect(event.requestContext.extendedRequestId).toBe(
      event.requestContext.requestId,
    );
  });

  it('builds MESSAGE with a messageId and without headers', () => {
    const event = messageEvent(facts, 'echo', 'aGk=', true, 'R0SM9cOFvHcCIhw=');
    expect(event).not.toHaveProperty('headers');
    expect(event.isBase64Encoded).toBe(true);
    expect(event.requestContext.messageId).toMatch(/^.{15}=$/);
    expect(event.requestContext.identity).toEqual({ sourceIp: '127.0.0.1' });
  });

  it('builds DISCONNECT with status and reason', () => {
    const event = disconnectEvent(facts, 1001, disconnectReasonFor(1001));
    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
    expect(event.headers?.Host).toBe('example.test');
    expect(disconnectReasonFor(4999)).toBe('Closed with status 4999');
    expect(disconnectReasonFor(1000, 'bye')).toBe('bye');
  });
});
