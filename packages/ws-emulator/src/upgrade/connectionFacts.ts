import type { IncomingMessage } from 'node:http';
import {
  ConnectionFacts,
  collectHeaders,
  collectQuery,
  sourceIpOf,
} from '../events';
import { createAwsStyleId } from '../ids';
import { addGatewayHeaders } from './gatewayHeaders';
import { offeredProtocols } from './validateUpgrade';

/** What a connection's events say about the API. */
export interface ApiFacts {
  readonly stage: string;
  readonly apiId: string;
  /** @default the upgrade's `Host` header */
  readonly domainName?: string;
  /** @default API Gateway shaped random ids */
  readonly createConnectionId?: () => string;
}

/**
 * The facts of a new connection, as its `$connect` event shows them: the
 * request's headers (without the consumed ones, and without consumed
 * subprotocols in `Sec-WebSocket-Protocol`), those API Gateway adds, and
 * the query string.
 */
export function connectionFacts(
  req: IncomingMessage,
  api: ApiFacts,
  consumedProtocols: ReadonlySet<string>,
  consumedHeaders: readonly string[],
): ConnectionFacts {
  const omit = new Set(consumedHeaders.map(h => h.toLowerCase()));
  const remaining = offeredProtocols(req).filter(
    p => !consumedProtocols.has(p),
  );
  if (consumedProtocols.size > 0) {
    omit.add('sec-websocket-protocol');
  }
  const collected = collectHeaders(req.rawHeaders, omit);
  if (consumedProtocols.size > 0 && remaining.length > 0) {
    collected.headers['Sec-WebSocket-Protocol'] = remaining.join(', ');
    collected.multiValueHeaders['Sec-WebSocket-Protocol'] = [
      remaining.join(', '),
    ];
  }
  const url = req.url ?? '/';
  const queryIndex = url.indexOf('?');
  const sourceIp = sourceIpOf(req);
  const connectedAt = Date.now();
  addGatewayHeaders(collected, {
    sourceIp,
    port: req.socket.localPort,
    encrypted: Boolean((req.socket as { encrypted?: boolean }).encrypted),
    now: connectedAt,
  });
  return {
    connectionId: api.createConnectionId?.() ?? createAwsStyleId(),
    connectedAt,
    sourceIp,
    userAgent: req.headers['user-agent'],
    stage: api.stage,
    domainName: api.domainName ?? req.headers.host ?? 'localhost',
    apiId: api.apiId,
    ...collected,
    ...collectQuery(queryIndex >= 0 ? url.slice(queryIndex) : ''),
  };
}

/** Drops what only `$connect` needed; `$disconnect` keeps the `Host` header. */
export function keepForDisconnect(facts: ConnectionFacts): void {
  facts.headers = {
    Host: facts.headers.Host ?? facts.headers.host ?? facts.domainName,
  };
  facts.multiValueHeaders = {};
  delete facts.queryStringParameters;
  delete facts.multiValueQueryStringParameters;
}
