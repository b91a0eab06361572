import type { WebSocketEvent } from '../events';

/**
 * A Lambda proxy integration result, as API Gateway reads it.
 * @public
 */
export interface ProxyResult {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body?: string;
  isBase64Encoded?: boolean;
}

/**
 * What an integration gets along with the event.
 * @public
 */
export interface IntegrationContext {
  /** The event's request id. */
  readonly awsRequestId: string;
  /** Epoch milliseconds after which the invocation counts as timed out. */
  readonly deadline: number;
  /** Aborted when the invocation times out or the emulator closes. */
  readonly signal: AbortSignal;
}

/**
 * Something a route can be integrated with.
 * @public
 */
export interface Integration {
  /** Short description for logs, e.g. `lambda:my-fn`. */
  readonly description: string;
  /**
   * Runs the integration. Resolves with the proxy result (or `undefined`
   * when the integration returned nothing); rejects on integration errors.
   */
  invoke(
    event: WebSocketEvent,
    context: IntegrationContext,
  ): Promise<ProxyResult | undefined>;
  /** Releases clients or sockets the integration holds. */
  close?(): void;
}

/**
 * An integration failed (threw, returned a malformed result, or the
 * endpoint failed).
 * @public
 */
export class IntegrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegrationError';
  }
}

/**
 * An integration did not answer within `limits.integrationTimeoutMs`.
 * @public
 */
export class IntegrationTimeoutError extends IntegrationError {
  constructor(timeoutMs: number) {
    super(`Integration timed out after ${timeoutMs} ms`);
    this.name = 'IntegrationTimeoutError';
  }
}
