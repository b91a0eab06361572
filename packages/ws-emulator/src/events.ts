import type { IncomingMessage } from 'node:http';
import { createAwsStyleId } from './ids';

/** @public */
export type WebSocketEventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/**
 * The `requestContext` of an API Gateway WebSocket Lambda proxy event.
 * @public
 */
export interface WebSocketRequestContext {
  routeKey: string;
  messageId?: string;
  disconnectStatusCode?: number;
  disconnectReason?: string;
  eventType: WebSocketEventType;
  extendedRequestId: string;
  requestTime: string;
  messageDirection: 'IN';
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent?: string };
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
}

/**
 * An API Gateway WebSocket Lambda proxy event (CONNECT, MESSAGE or
 * DISCONNECT), field for field.
 * @public
 */
export interface WebSocketEvent {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  requestContext: WebSocketRequestContext;
  body?: string;
  isBase64Encoded: boolean;
}

/** What every event of one connection shares. */
export interface ConnectionFacts {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent?: string;
  stage: string;
  domainName: string;
  apiId: string;
  /** Request headers as sent (original casing), for CONNECT. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
let cachedSecond = -1;
let cachedClf = '';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats a time like API Gateway's `requestTime`: `09/Feb/2024:18:11:43 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedClf = `${pad(d.getUTCDate())}/${
      MONTHS[d.getUTCMonth()]
    }/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
      d.getUTCMinutes(),
    )}:${pad(d.getUTCSeconds())} +0000`;
    cachedSecond = second;
  }
  return cachedClf;
}

/**
 * Reads headers the way API Gateway passes them on: original casing,
 * repeated headers joined with `,` in `headers` and listed in
 * `multiValueHeaders`. Headers named in `omit` (any casing) are left out.
 */
export function collectHeaders(
  rawHeaders: readonly string[],
  omit: ReadonlySet<string> = new Set(),
): Pick<ConnectionFacts, 'headers' | 'multiValueHeaders'> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const canonical = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const lower = name.toLowerCase();
    if (omit.has(lower)) {
      continue;
    }
    const key = canonical.get(lower) ?? name;
    canonical.set(lower, key);
    const value = rawHeaders[i + 1];
    if (multiValueHeaders[key]) {
      multiValueHeaders[key].push(value);
      headers[key] = `${headers[key]},${value}`;
    } else {
      multiValueHeaders[key] = [value];
      headers[key] = value;
    }
  }
  return { headers, multiValueHeaders };
}

/**
 * Query string parameters as API Gateway passes them: absent when there are
 * none; the last value wins in `queryStringParameters`.
 */
export function collectQuery(
  search: string,
): Pick<
  ConnectionFacts,
  'queryStringParameters' | 'multiValueQueryStringParameters'
> {
  const params = new URLSearchParams(search);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  let any = false;
  for (const [key, value] of params) {
    any = true;
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return any
    ? { queryStringParameters: single, multiValueQueryStringParameters: multi }
    : {};
}

/** The client's address as API Gateway reports it in `identity.sourceIp`. */
export function sourceIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function baseContext(
  facts: ConnectionFacts,
  routeKey: string,
  eventType: WebSocketEventType,
  now: number,
  requestId: string,
): WebSocketRequestContext {
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(now),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: facts.sourceIp },
    requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
}

/** The `$connect` event. */
export function connectEvent(
  facts: ConnectionFacts,
  now = Date.now(),
): WebSocketEvent {
  const requestContext = baseContext(
    facts,
    '$connect',
    'CONNECT',
    now,
    createAwsStyleId(),
  );
  requestContext.identity = {
    userAgent: facts.userAgent ?? '',
    sourceIp: facts.sourceIp,
  };
  return {
    headers: facts.headers,
    multiValueHeaders: facts.multiValueHeaders,
    ...(facts.queryStringParameters && {
      queryStringParameters: facts.queryStringParameters,
      multiValueQueryStringParameters: facts.multiValueQueryStringParameters,
    }),
    requestContext,
    isBase64Encoded: false,
  };
}

/** A MESSAGE event for a text or binary frame routed to `routeKey`. */
export function messageEvent(
  facts: ConnectionFacts,
  routeKey: string,
  body: string,
  isBase64Encoded: boolean,
  requestId: string,
  now = Date.now(),
): WebSocketEvent {
  // Built in one literal (API Gateway's key order): this runs per message.
  return {
    requestContext: {
      routeKey,
      messageId: createAwsStyleId(),
      eventType: 'MESSAGE',
      extendedRequestId: requestId,
      requestTime: formatRequestTime(now),
      messageDirection: 'IN',
      stage: facts.stage,
      connectedAt: facts.connectedAt,
      requestTimeEpoch: now,
      identity: { sourceIp: facts.sourceIp },
      requestId,
      domainName: facts.domainName,
      connectionId: facts.connectionId,
      apiId: facts.apiId,
    },
    body,
    isBase64Encoded,
  };
}

const DISCONNECT_REASONS: Record<number, string> = {
  1000: 'Connection Closed Normally',
  1001: 'Going away',
  1002: 'Protocol error',
  1003: 'Unsupported data',
  1005: 'Client-side close frame status not set',
  1006: 'Connection closed abnormally',
  1007: 'Invalid frame payload data',
  1008: 'Policy violation',
  1009: 'Message too big',
  1011: 'Internal server error',
};

/** The `disconnectReason` API Gateway gives for a close code. */
export function disconnectReasonFor(code: number, reason?: string): string {
  return reason || DISCONNECT_REASONS[code] || `Closed with status ${code}`;
}

/** The `$disconnect` event. */
export function disconnectEvent(
  facts: ConnectionFacts,
  statusCode: number,
  reason: string,
  now = Date.now(),
): WebSocketEvent {
  const base = baseContext(
    facts,
    '$disconnect',
    'DISCONNECT',
    now,
    createAwsStyleId(),
  );
  const headers: Record<string, string> = {
    Host: facts.headers.Host ?? facts.headers.host ?? facts.domainName,
    'x-api-key': '',
    'X-Forwarded-For': '',
    'x-restapi': '',
  };
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    multiValueHeaders[key] = [value];
  }
  return {
    headers,
    multiValueHeaders,
    requestContext: {
      routeKey: '$disconnect',
      disconnectStatusCode: statusCode,
      eventType: 'DISCONNECT',
      extendedRequestId: base.extendedRequestId,
      requestTime: base.requestTime,
      messageDirection: 'IN',
      disconnectReason: reason,
      stage: base.stage,
      connectedAt: base.connectedAt,
      requestTimeEpoch: base.requestTimeEpoch,
      identity: { userAgent: facts.userAgent ?? '', sourceIp: facts.sourceIp },
      requestId: base.requestId,
      domainName: base.domainName,
      connectionId: base.connectionId,
      apiId: base.apiId,
    },
    isBase64Encoded: false,
  };
}
