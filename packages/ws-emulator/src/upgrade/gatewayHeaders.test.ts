import { addGatewayHeaders, createTraceId } from './gatewayHeaders';

const facts = { sourceIp: '203.0.113.7', port: 443, encrypted: true, now: 0 };

describe('addGatewayHeaders', () => {
  it('adds the headers API Gateway adds, in both header maps', () => {
    const target = {
      headers: { Host: 'api.test' } as Record<string, string>,
      multiValueHeaders: { Host: ['api.test'] } as Record<string, string[]>,
    };
    addGatewayHeaders(target, { ...facts, now: Date.UTC(2026, 0, 1) });
    expect(target.headers).toEqual({
      Host: 'api.test',
      'X-Amzn-Trace-Id': expect.stringMatching(
        /^Root=1-6955b900-[0-9a-f]{24}$/,
      ),
      'X-Forwarded-For': '203.0.113.7',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    });
    for (const [key, value] of Object.entries(target.headers)) {
      expect(target.multiValueHeaders[key]).toEqual([value]);
    }
  });

  it("keeps a client's trace id, appends to its X-Forwarded-For and replaces its port and proto", () => {
    const target = {
      headers: {
        'x-amzn-trace-id': 'Root=1-client',
        'x-forwarded-for': '198.51.100.1',
        'x-forwarded-proto': 'gopher',
      } as Record<string, string>,
      multiValueHeaders: {
        'x-amzn-trace-id': ['Root=1-client'],
        'x-forwarded-for': ['198.51.100.1'],
        'x-forwarded-proto': ['gopher'],
      } as Record<string, string[]>,
    };
    addGatewayHeaders(target, { ...facts, encrypted: false, port: 8080 });
    expect(target.headers).toEqual({
      'x-amzn-trace-id': 'Root=1-client',
      'x-forwarded-for': '198.51.100.1, 203.0.113.7',
      'X-Forwarded-Port': '8080',
      'X-Forwarded-Proto': 'http',
    });
    expect(target.multiValueHeaders['x-forwarded-for']).toEqual([
      '198.51.100.1, 203.0.113.7',
    ]);
    expect(target.multiValueHeaders).not.toHaveProperty('x-forwarded-proto');
  });

  it('makes distinct trace ids', () => {
    expect(createTraceId(0)).not.toBe(createTraceId(0));
    expect(createTraceId(0)).toMatch(/^Root=1-00000000-[0-9a-f]{24}$/);
  });
});
