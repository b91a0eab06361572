import { isSuccess, proxyHeader, toProxyResult } from './proxyResult';
import { IntegrationError } from './types';

describe('toProxyResult', () => {
  it('accepts nothing and well-formed results', () => {
    expect(toProxyResult(undefined)).toBeUndefined();
    expect(toProxyResult(null)).toBeUndefined();
    expect(toProxyResult({ statusCode: 201, body: 'x' })).toMatchObject({
      statusCode: 201,
      body: 'x',
      isBase64Encoded: false,
    });
  });

  it.each([
    ['a string', 'hello', /expected an object/],
    ['an array', [], /expected an object/],
    ['a bad status', { statusCode: 42 }, /statusCode 42/],
    ['a fractional status', { statusCode: 200.5 }, /statusCode 200.5/],
    ['an object body', { body: { a: 1 } }, /body must be a string/],
    ['array headers', { headers: [] }, /headers must be an object/],
  ])('rejects %s', (_name, value, message) => {
    expect(() => toProxyResult(value)).toThrow(IntegrationError);
    expect(() => toProxyResult(value)).toThrow(message);
  });

  it('finds headers case-insensitively, single or multi-valued', () => {
    expect(
      proxyHeader(
        { headers: { 'sec-websocket-protocol': 'a' } },
        'Sec-WebSocket-Protocol',
      ),
    ).toBe('a');
    expect(
      proxyHeader(
        { multiValueHeaders: { 'Sec-WebSocket-Protocol': ['b'] } },
        'sec-websocket-protocol',
      ),
    ).toBe('b');
    expect(proxyHeader(undefined, 'x')).toBeUndefined();
  });

  it('treats missing status as success and non-2xx as failure', () => {
    expect(isSuccess(undefined)).toBe(true);
    expect(isSuccess({ statusCode: 204 })).toBe(true);
    expect(isSuccess({ statusCode: 302 })).toBe(false);
    expect(isSuccess({ statusCode: 401 })).toBe(false);
  });
});
