import type { ConnectionFacts } from '../events';
import { connectEvent } from '../events';
import { invokeWithTimeout } from '../integrations/invoke';
import type { InvocationTracker } from '../integrations/InvocationTracker';
import { isSuccess, proxyHeader } from '../integrations/proxyResult';
import { IntegrationTimeoutError } from '../integrations/types';
import type { RouteDefinition } from '../types';
import type { refuseUpgrade } from './refuseUpgrade';

/** How `$connect` decided. */
export type ConnectOutcome =
  | { readonly accept: true; readonly subprotocol?: string }
  | {
      readonly accept: false;
      readonly statusCode: number;
      readonly reason: string;
      readonly response: Parameters<typeof refuseUpgrade>[2];
      /** The integration's failure, for the log. */
      readonly error?: unknown;
    };

/**
 * Runs the `$connect` route: a 2xx (or no status) accepts, selecting the
 * subprotocol its `Sec-WebSocket-Protocol` header names unless that was
 * consumed by authorization; another status refuses with that status and
 * body; failure refuses with 500, a timeout with 504.
 */
export async function runConnectRoute(
  route: RouteDefinition,
  facts: ConnectionFacts,
  consumedProtocols: ReadonlySet<string>,
  timeoutMs: number,
  tracker: InvocationTracker,
): Promise<ConnectOutcome> {
  let result;
  try {
    result = await invokeWithTimeout(
      route.integration,
      connectEvent(facts),
      timeoutMs,
      tracker,
    );
  } catch (error) {
    const timeout = error instanceof IntegrationTimeoutError;
    return {
      accept: false,
      statusCode: timeout ? 504 : 500,
      reason: timeout ? '$connect timed out' : '$connect failed',
      response: {
        body: JSON.stringify({
          message: timeout
            ? 'Endpoint request timed out'
            : 'Internal server error',
        }),
      },
      error,
    };
  }
  if (!isSuccess(result)) {
    return {
      accept: false,
      statusCode: result!.statusCode!,
      reason: '$connect refused',
      response: {
        body: result?.body ?? JSON.stringify({ message: 'Forbidden' }),
        contentType: proxyHeader(result, 'content-type'),
      },
    };
  }
  const chosen = proxyHeader(result, 'Sec-WebSocket-Protocol')?.trim();
  return {
    accept: true,
    subprotocol: chosen && !consumedProtocols.has(chosen) ? chosen : undefined,
  };
}
