import { randomBytes } from 'node:crypto';

/** What API Gateway knows about the connection it adds headers for. */
export type GatewayHeaderFacts = {
  sourceIp: string;
  /** The port the client connected to. */
  port: number | undefined;
  /** Whether the client connected over TLS. */
  encrypted: boolean;
  now: number;
};

/** An X-Ray trace header: `Root=1-<epoch seconds, hex>-<96 random bits, hex>`. */
export function createTraceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}

function set(
  headers: Record<string, string>,
  multiValueHeaders: Record<string, string[]>,
  name: string,
  value: string,
  append = false,
): void {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find(k => k.toLowerCase() === lower);
  if (key && append) {
    // A client-sent X-Forwarded-For is kept, with the client's address after it.
    headers[key] = `${headers[key]}, ${value}`;
    multiValueHeaders[key] = [headers[key]];
    return;
  }
  if (key) {
    delete headers[key];
    delete multiValueHeaders[key];
  }
  headers[name] = value;
  multiValueHeaders[name] = [value];
}

/**
 * Adds the headers API Gateway adds to a `$connect` event's request:
 * `X-Amzn-Trace-Id` (kept when the client sent one), `X-Forwarded-For`,
 * `X-Forwarded-Port` and `X-Forwarded-Proto`, describing the connection as
 * the emulator received it. Host and the `Sec-WebSocket-*` headers come
 * from the client's handshake already.
 */
export function addGatewayHeaders(
  target: {
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
  },
  facts: GatewayHeaderFacts,
): void {
  const { headers, multiValueHeaders } = target;
  const hasTrace = Object.keys(headers).some(
    k => k.toLowerCase() === 'x-amzn-trace-id',
  );
  if (!hasTrace) {
    set(
      headers,
      multiValueHeaders,
      'X-Amzn-Trace-Id',
      createTraceId(facts.now),
    );
  }
  set(headers, multiValueHeaders, 'X-Forwarded-For', facts.sourceIp, true);
  if (facts.port !== undefined) {
    set(headers, multiValueHeaders, 'X-Forwarded-Port', String(facts.port));
  }
  set(
    headers,
    multiValueHeaders,
    'X-Forwarded-Proto',
    facts.encrypted ? 'https' : 'http',
  );
}
