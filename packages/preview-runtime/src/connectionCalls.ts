import type { ConnectionsAnswer, ConnectionsCall } from './runner/protocol';
import type { PreviewConnections } from './types';

const OPERATIONS = new Set<unknown>(['post', 'get', 'delete']);

/** The answer to a call that failed: the API's own error, or over HTTP. */
function failed(id: number, error: unknown): ConnectionsAnswer {
  const e = error as {
    errorType?: unknown;
    name?: unknown;
    message?: unknown;
    statusCode?: unknown;
  };
  const status = e?.statusCode;
  // Throttling and server errors are the SDK's to retry, and an error
  // that is not the API's (e.g. no API loaded) is the HTTP path's to
  // answer: the runner makes the call again over HTTP.
  if (
    typeof status !== 'number' ||
    status < 400 ||
    status >= 500 ||
    status === 429
  ) {
    return { id, http: true };
  }
  return {
    id,
    error: {
      name: String(e.errorType ?? e.name),
      message: String(e.message ?? ''),
      status,
    },
  };
}

function run(
  connections: PreviewConnections,
  call: ConnectionsCall,
): Promise<unknown> {
  const { op, connectionId } = call;
  if (op === 'get') return connections.get(connectionId);
  if (op === 'delete') return connections.delete(connectionId);
  const data =
    typeof call.base64 === 'string'
      ? Buffer.from(call.base64, 'base64')
      : Buffer.from(String(call.data ?? ''), 'utf8');
  return connections.post(connectionId, data);
}

/**
 * Serves the `@connections` calls a runner sends over its channel (a line
 * of calls, untrusted): each runs on the preview's own API, in the order
 * sent, and its answer goes back with the others settled in the same turn
 * of the event loop.
 */
export function connectionCalls(
  connections: PreviewConnections,
  answer: (answers: ConnectionsAnswer[]) => void,
): (message: { calls?: unknown }) => void {
  let settled: ConnectionsAnswer[] = [];
  const settle = (a: ConnectionsAnswer) => {
    if (settled.length === 0) {
      setImmediate(() => {
        const answers = settled;
        settled = [];
        answer(answers);
      });
    }
    settled.push(a);
  };
  return message => {
    if (!Array.isArray(message.calls)) return;
    for (const call of message.calls as ConnectionsCall[]) {
      const id = call?.id;
      if (!Number.isSafeInteger(id)) continue;
      const connectionId = call.connectionId;
      // Not what the runner sends: the HTTP path (which refuses a malformed
      // id as the API does) answers it.
      if (
        !OPERATIONS.has(call.op) ||
        typeof connectionId !== 'string' ||
        connectionId.length === 0 ||
        connectionId.length > 128
      ) {
        settle({ id, http: true });
        continue;
      }
      let pending: Promise<unknown>;
      try {
        pending = run(connections, call);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        value => settle(call.op === 'get' ? { id, value } : { id }),
        error => settle(failed(id, error)),
      );
    }
  };
}
