/** Why a sandbox job did not produce a result. */
export type SandboxErrorReason =
  /** Node's permission model is unavailable, or not in effect. */
  | 'unavailable'
  /** The job threw; the message is its first line. */
  | 'failed'
  /** The job ran past the wall-time cap and was killed. */
  | 'timeout'
  /** The job went over the memory cap and was killed. */
  | 'memory'
  /** The sandbox process ended without an answer. */
  | 'crashed';

/**
 * A sandbox job that produced no result. The message says what happened in
 * one line; it carries nothing from the sandbox but the first line of the
 * job's own error message.
 */
export class SandboxError extends Error {
  readonly reason: SandboxErrorReason;
  /** The name of the job's error, for `failed`. */
  readonly jobErrorName?: string;
  /** The issues of the job's error, when it was a `ManifestError` (first lines). */
  readonly issues?: readonly { path: string; message: string }[];

  constructor(
    reason: SandboxErrorReason,
    message: string,
    job?: {
      name: string;
      issues?: readonly { path: string; message: string }[];
    },
  ) {
    super(message);
    this.name = 'SandboxError';
    this.reason = reason;
    this.jobErrorName = job?.name;
    this.issues = job?.issues;
  }
}
