/** A log line of a preview: which function wrote it (`(runner)` for the runner itself), where, when. */
export interface PreviewLogLine {
  readonly fn: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** ISO 8601, when the backend read it. */
  readonly at: string;
}

/** Options of {@link startPreview}. */
export interface StartPreviewOptions {
  /** Clean checkout of the published repository at the deployed commit. */
  readonly checkoutDir: string;
  /** The synthesized CloudFormation template (JSON) of the stack. */
  readonly template: unknown;
  /** The parsed `stackyard.yaml` (service manifest). */
  readonly manifest: unknown;
  /** The preview's own directory (its data); the only one the runner may write. */
  readonly workDir: string;
  /** Extra environment of every function, e.g. `WEBSOCKET_CALLBACK_URL`; URLs in it may be connected to. */
  readonly env?: Record<string, string>;
  /**
   * Heap cap of the runner, in MiB (`--max-old-space-size`); the runner is
   * also killed when its resident memory goes over twice this.
   *
   * @default 128
   */
  readonly memoryMb?: number;
  /**
   * Multiplies queue visibility timeouts and delays, so a preview can show
   * a redelivery (or a message reaching its DLQ) sooner than the deployed
   * queue would; the order of events stays as deployed.
   *
   * @default 1
   */
  readonly queueTimeScale?: number;
  /**
   * How often expired items (a table's TTL attribute, as DynamoDB's time
   * to live reads it) are deleted, in milliseconds.
   *
   * @default 60000
   */
  readonly ttlSweepIntervalMs?: number;
  /**
   * How long the runner may take to start, in milliseconds.
   *
   * @default 30000
   */
  readonly startupTimeoutMs?: number;
  /**
   * The preview's own `@connections` API: the functions' calls to its
   * endpoint signed with its key go to these operations over the runner's
   * channel instead of HTTP (no signing, no HTTP on either side).
   */
  readonly connections?: PreviewConnections;
  readonly onLog?: (line: PreviewLogLine) => void;
  /**
   * The runner ended without `stop()`: crashed, killed for memory, or
   * exited. Not called for `stop()`.
   */
  readonly onExit?: (info: {
    code: number | null;
    signal: string | null;
    lastLogLines: string[];
  }) => void;
}

/**
 * A preview's own `@connections` API, as {@link StartPreviewOptions.connections}
 * serves it to the runner. Each operation throws the API's error: one with
 * an `errorType` (or `name`) and an HTTP `statusCode`, e.g. `GoneException`
 * 410; a throttling (429) or server (5xx) error, or any other, has the
 * runner make the call over HTTP instead.
 */
export interface PreviewConnections {
  /** The endpoint of `env` the functions' clients are given. */
  readonly endpoint: string;
  /** The access key id of `env` their calls sign with; calls signed otherwise go over HTTP. */
  readonly accessKeyId: string;
  /** `PostToConnection`: sends `data` to the connection. */
  post(connectionId: string, data: Buffer): Promise<void>;
  /** `GetConnection`: describes the connection. */
  get(connectionId: string): Promise<{
    connectedAt: string;
    identity: { sourceIp: string; userAgent: string };
    lastActiveAt: string;
  }>;
  /** `DeleteConnection`: closes the connection. */
  delete(connectionId: string): Promise<void>;
}

/** The outcome of an invocation, as Lambda reports it. */
export type InvokeResult =
  | { ok: true; result: unknown; durationMs: number }
  | {
      ok: false;
      error: { name: string; message: string; stack?: string };
      durationMs: number;
    };

/** A queue of a running preview. */
export interface PreviewQueue {
  readonly name: string;
  /** Messages ready to be received. */
  readonly visible: number;
  /** Messages received and not deleted whose visibility timeout has not run out. */
  readonly inFlight: number;
  /** The dead-letter queue's name. */
  readonly dlq?: string;
  /** The functions whose failed asynchronous invocations this queue receives (their DeadLetterConfig). */
  readonly dlqOfFunctions?: string[];
}

/** A table of a running preview. */
export interface PreviewTable {
  readonly name: string;
  readonly items: number;
}

/** A preview whose runner is up. */
export interface RunningPreview {
  /** Manifest function names. */
  readonly functions: string[];
  invoke(fn: string, event: unknown): Promise<InvokeResult>;
  queues(): Promise<PreviewQueue[]>;
  tables(): Promise<PreviewTable[]>;
  /** Kills the runner; keeps `workDir`. */
  stop(): Promise<void>;
  readonly pid: number;
}
