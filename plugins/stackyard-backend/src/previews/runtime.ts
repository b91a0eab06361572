/**
 * The preview runtime's API as the backend uses it
 * (`@stackyard/preview-runtime`'s `startPreview`): one sandboxed runner
 * process per environment, hosting its functions, tables and queues.
 */

/** One line a function wrote to its console. */
export type RunnerLogLine = {
  fn: string;
  stream: 'stdout' | 'stderr';
  text: string;
  at: string;
};

/** Options of {@link StartPreview}. */
export type StartPreviewOptions = {
  /** Clean checkout of the published repository at the deployed commit. */
  checkoutDir: string;
  /** The synthesized CloudFormation template (JSON) of the stack. */
  template: unknown;
  /** The parsed service manifest. */
  manifest: unknown;
  /** The preview's own temp dir (its data). */
  workDir: string;
  /** Extra env of every function, e.g. WEBSOCKET_CALLBACK_URL. */
  env?: Record<string, string>;
  /** Heap cap of the runner. */
  memoryMb?: number;
  /** Multiplies queue visibility timeouts and delays. */
  queueTimeScale?: number;
  /**
   * The environment's own `@connections` API, which the runner calls over
   * its channel: the functions' calls to `endpoint` signed with
   * `accessKeyId` (the runner's key of `env`).
   */
  connections?: RunnerConnections & { endpoint: string; accessKeyId: string };
  onLog?: (line: RunnerLogLine) => void;
  onExit?: (info: {
    code: number | null;
    signal: string | null;
    lastLogLines: string[];
  }) => void;
};

/**
 * The `@connections` operations a runner calls over its channel; each
 * throws the management API's error (`errorType`, HTTP `statusCode`).
 */
export type RunnerConnections = {
  post(connectionId: string, data: Buffer): Promise<void>;
  get(connectionId: string): Promise<{
    connectedAt: string;
    identity: { sourceIp: string; userAgent: string };
    lastActiveAt: string;
  }>;
  delete(connectionId: string): Promise<void>;
};

/** What one invocation in the runner came to. */
export type InvokeResult =
  | { ok: true; result: unknown; durationMs: number }
  | {
      ok: false;
      error: { name: string; message: string; stack?: string };
      durationMs: number;
    };

/** A preview's runner process. */
export interface RunningPreview {
  /** Function names of the manifest. */
  readonly functions: string[];
  invoke(fn: string, event: unknown): Promise<InvokeResult>;
  queues(): Promise<
    Array<{
      name: string;
      visible: number;
      inFlight: number;
      dlq?: string;
      dlqOfFunctions?: string[];
    }>
  >;
  tables(): Promise<Array<{ name: string; items: number }>>;
  /** Kills the runner; its work dir stays. */
  stop(): Promise<void>;
  readonly pid: number;
}

/** Starts one preview's runner. */
export type StartPreview = (
  options: StartPreviewOptions,
) => Promise<RunningPreview>;
