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
}

export type ToRunner =
  | RunnerStart
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly fn: string;
      readonly event: unknown;
    }
  | { readonly type: 'queues'; readonly id: number }
  | { readonly type: 'tables'; readonly id: number };

export type FromRunner =
  | {
      readonly type: 'ready';
      readonly endpoints: { readonly dynamodb: string; readonly sqs: string };
    }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'answer'; readonly id: number; readonly value: unknown };

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

/** Longest request line a runner reads. */
export const MAX_REQUEST_CHARS = 64 * 1024 * 1024;
