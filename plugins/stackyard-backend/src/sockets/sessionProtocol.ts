import type {
  Integration,
  ProxyResult,
  RouteDefinition,
  WebSocketEvent,
} from '@stackyard/ws-emulator';

/**
 * A subprotocol a browser offers next to its credential subprotocol
 * (`new WebSocket(url, ['stackyard.v1', 'stackyard-token.<token>'])`).
 * Browsers fail a handshake that offered subprotocols when the server
 * selects none, and the credential one is never selected; this one carries
 * nothing secret and is selected when the API's own `$connect` selects
 * nothing. Clients that do not offer it see the API's `$connect` unchanged.
 */
export const SESSION_PROTOCOL = 'stackyard.v1';

function offers(event: WebSocketEvent): boolean {
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'sec-websocket-protocol',
  );
  return (header?.[1] ?? '')
    .split(',')
    .some(p => p.trim() === SESSION_PROTOCOL);
}

function hasProtocolHeader(result: ProxyResult | undefined): boolean {
  return Object.keys(result?.headers ?? {}).some(
    name => name.toLowerCase() === 'sec-websocket-protocol',
  );
}

/** `$connect` that selects {@link SESSION_PROTOCOL} when offered and the API's own `$connect` (if any) selected nothing. */
function sessionConnect(inner?: Integration): Integration {
  return {
    description: inner?.description ?? 'stackyard:session-protocol',
    async invoke(event, context) {
      const result = inner
        ? await inner.invoke(event, context)
        : { statusCode: 200 };
      const status = result?.statusCode ?? 200;
      if (
        !offers(event) ||
        status < 200 ||
        status > 299 ||
        hasProtocolHeader(result)
      ) {
        return result;
      }
      return {
        ...result,
        statusCode: status,
        headers: {
          ...result?.headers,
          'Sec-WebSocket-Protocol': SESSION_PROTOCOL,
        },
      };
    },
    close: () => inner?.close?.(),
  };
}

/** The routes with `$connect` wrapped (or added) by {@link sessionConnect}. */
export function withSessionProtocol(
  routes: Record<string, RouteDefinition>,
): Record<string, RouteDefinition> {
  return {
    ...routes,
    $connect: {
      ...routes.$connect,
      integration: sessionConnect(routes.$connect?.integration),
    },
  };
}
