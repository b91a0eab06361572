import type { WebSocketEvent } from '../events';
import { toProxyResult } from './proxyResult';
import {
  Integration,
  IntegrationContext,
  IntegrationError,
  IntegrationTimeoutError,
  ProxyResult,
} from './types';

import { InvocationTracker } from './InvocationTracker';

/** Creates the tracker `invokeWithTimeout` registers invocations with. */
export function createInvocationTracker(timeoutMs: number): InvocationTracker {
  return new InvocationTracker(
    Math.max(5, Math.min(250, Math.floor(timeoutMs / 10))),
    fail => fail(new IntegrationTimeoutError(timeoutMs)),
  );
}

/**
 * The context handed to an integration. Its abort controller is only created
 * if the integration reads `signal`; the getter lives on the prototype, which
 * keeps creating one context per message cheap.
 */
class InvocationContext implements IntegrationContext {
  private controller: AbortController | undefined;

  constructor(readonly awsRequestId: string, readonly deadline: number) {}

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  abort(reason: Error): void {
    this.controller?.abort(reason);
  }
}

function wrap(integration: Integration, error: unknown): IntegrationError {
  if (error instanceof IntegrationError) {
    return error;
  }
  return new IntegrationError(
    `${integration.description} failed: ${
      error instanceof Error ? error.message : String(error)
    }`,
    { cause: error },
  );
}

/**
 * Invokes an integration with a deadline (tracked by `tracker`; pass the
 * emulator's shared one). Rejects with
 * {@link IntegrationTimeoutError} when the deadline passes (the integration
 * is told through its abort signal) and with {@link IntegrationError} when it
 * fails in any other way, including a malformed proxy result. The abort
 * signal is only created if the integration reads it.
 */
export function invokeWithTimeout(
  integration: Integration,
  event: WebSocketEvent,
  timeoutMs: number,
  tracker: InvocationTracker = createInvocationTracker(timeoutMs),
): Promise<ProxyResult | undefined> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const context = new InvocationContext(
      event.requestContext.requestId,
      deadline,
    );
    let settled = false;
    const fail = (error: Error) => {
      if (settled) {
        return;
      }
      settled = true;
      tracker.delete(fail);
      context.abort(error);
      reject(wrap(integration, error));
    };
    tracker.add(fail, deadline);
    let call: Promise<unknown>;
    try {
      call = Promise.resolve(integration.invoke(event, context));
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      value => {
        if (settled) {
          return;
        }
        let result: ProxyResult | undefined;
        try {
          result = toProxyResult(value);
        } catch (error) {
          fail(error as Error);
          return;
        }
        settled = true;
        tracker.delete(fail);
        resolve(result);
      },
      error => fail(error instanceof Error ? error : new Error(String(error))),
    );
  });
}
