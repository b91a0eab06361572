import type { PreviewPlan } from '../plan/types';

/**
 * Messages between a preview's runner process and the backend, as JSON
 * lines: requests on the runner's stdin, messages from it on its file
 * descriptor 3. Everything is plain data: nothing the runner sends is code,
 * and the backend treats it as untrusted (each line read with a cap).
 */

export interface RunnerStart {
  readonly type: 'start';
  readonly plan: PreviewPlan;
  /** Extra environment of every function. */
  readonly env: Readonly<Record<string, string>>;
  /** Multiplies queue visibility timeouts and delays. */
  readonly queueTimeScale: number;
  /** How often expired TTL items are deleted (ms). */
  readonly ttlSweepIntervalMs?: number;
  /** Whose `@connections` calls go over this channel (see {@link ConnectionsCall}). */
  readonly connections?: {
    /** The endpoint the functions' environment gives them. */
    readonly endpoint: string;
    /** The access key id the calls sign with. */
    readonly accessKeyId: string;
  };
}

/**
 * An `@connections` call a function made to the preview's own endpoint,
 * carried over the channel in place of a signed HTTP request. `data` is the
 * post's bytes as text when they are UTF-8, else `base64` holds them.
 */
export interface ConnectionsCall {
  readonly id: number;
  readonly op: 'post' | 'get' | 'delete';
  readonly connectionId: string;
  readonly data?: string;
  readonly base64?: string;
}

/**
 * The backend's answer to a {@link ConnectionsCall}: done (with the
 * connection's description for `get`), an error of the management API
 * (`GoneException` 410, …), or `http`: make the call over HTTP instead
 * (what the HTTP path answers is then the answer, retries included).
 */
export type ConnectionsAnswer =
  | { readonly id: number; readonly value?: unknown }
  | {
      readonly id: number;
      readonly error: {
        readonly name: string;
        readonly message: string;
        readonly status: number;
      };
    }
  | { readonly id: number; readonly http: true };

export type ToRunner =
  | RunnerStart
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly fn: string;
      readonly event: unknown;
    }
  | { readonly type: 'queues'; readonly id: number }
  | { readonly type: 'tables'; readonly id: number }
  | {
      readonly type: 'connections';
      readonly answers: readonly ConnectionsAnswer[];
    };

export type FromRunner =
  | {
      readonly type: 'ready';
      readonly endpoints: { readonly dynamodb: string; readonly sqs: string };
    }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'answer'; readonly id: number; readonly value: unknown }
  | {
      readonly type: 'connections';
      readonly calls: readonly ConnectionsCall[];
    };

/** A log line as the runner frames it on its stdout: `{"f":fn,"s":stream,"t":text}`. */
export interface LogFrame {
  readonly f: string;
  readonly s: 'stdout' | 'stderr';
  readonly t: string;
}

/** Longest log line kept, in characters. */
export const MAX_LOG_LINE = 8192;

/**
 * Largest invocation result, in bytes of JSON: Lambda's limit for a
 * synchronous response (6 MB); a larger one fails as Lambda fails it.
 */
export const MAX_RESULT_BYTES = 6_291_556;

/** Longest message line the backend reads from a runner (the rest is dropped). */
export const MAX_MESSAGE_CHARS = 8 * 1024 * 1024;

/**
 * Largest post carried over the channel, in bytes (API Gateway takes at most
 * 128 KiB); a larger one goes over HTTP, where the API refuses it as too
 * large. Escaped as JSON it is at most 1.5 MiB.
 */
export const MAX_CHANNEL_POST_BYTES = 256 * 1024;

/**
 * A line of calls is written once it holds this many characters: with the
 * post cap, every line stays far below {@link MAX_MESSAGE_CHARS}.
 */
export const CONNECTIONS_BATCH_CHARS = 1024 * 1024;

/** Longest request line a runner reads. */
export const MAX_REQUEST_CHARS = 64 * 1024 * 1024;
