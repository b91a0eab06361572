import type { PreviewPlan } from '../plan/types';

/**
 * Messages between a preview's runner process and the backend, over the
 * child's IPC channel. Everything is plain data: nothing the runner sends is
 * code, and the backend treats it as untrusted.
 */

export interface RunnerStart {
  readonly type: 'start';
  readonly plan: PreviewPlan;
  /** Extra environment of every function. */
  readonly env: Readonly<Record<string, string>>;
  /** Multiplies queue visibility timeouts and delays. */
  readonly queueTimeScale: number;
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
