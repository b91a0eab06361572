/**
 * Messages between a sandbox process and its pool, over the child's IPC
 * channel. Everything is plain data: nothing the sandbox sends is code.
 */

/** A job for one sandbox: its kind names the handler the child runs. */
export interface SandboxJob {
  readonly kind: string;
  /** The handler's input; plain JSON. */
  readonly [key: string]: unknown;
}

/** From the pool to the child. */
export type ToSandbox = {
  readonly type: 'job';
  /** The job's directory: the child's own copy of the caller's directory. */
  readonly dir: string;
  readonly job: SandboxJob;
};

/** A failure of the job, as data: first line of the message only. */
export interface SandboxFailure {
  /** The error's name, e.g. `ExtensionError`. */
  readonly name: string;
  /** The first line of its message. */
  readonly message: string;
  /** For ManifestErrors (ExtensionError included): the issues' messages. */
  readonly issues?: readonly { path: string; message: string }[];
}

/** From the child to the pool. */
export type FromSandbox =
  | { readonly type: 'ready' }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'failed'; readonly error: SandboxFailure };

/** Longest message kept from a sandbox. */
export const MAX_MESSAGE_LENGTH = 1000;

/** The first line of an error's message, bounded. */
export function firstLine(value: unknown): string {
  const message = (value as { message?: unknown } | null | undefined)?.message;
  const text = typeof message === 'string' ? message : String(value);
  return text.split('\n')[0].slice(0, MAX_MESSAGE_LENGTH);
}
