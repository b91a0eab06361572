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
  onLog?: (line: RunnerLogLine) => void;
  onExit?: (info: {
    code: number | null;
    signal: string | null;
    lastLogLines: string[];
  }) => void;
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
