import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  Environment,
  PreviewLogLine,
  PreviewLogs,
  PreviewState,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreviewSource } from './PreviewSource';
import type {
  InvokeResult,
  RunnerConnections,
  RunningPreview,
  StartPreview,
} from './runtime';

/** A request beyond `stackyard.previews.maxRunning`: answered with 429. */
export class TooManyPreviewsError extends Error {
  readonly statusCode = 429;
  constructor(message: string) {
    super(message);
    this.name = 'TooManyPreviewsError';
  }
}

/** Options of {@link PreviewManager}. */
export type PreviewManagerOptions = {
  environments: {
    getEnvironment(id: string): Promise<Environment | undefined>;
  };
  targets: ReadonlyMap<string, Target>;
  source: PreviewSource;
  start: StartPreview;
  /** Each preview's data lives in `<dataDirectory>/<environment id>`. */
  dataDirectory: string;
  /** A preview unused this long is stopped (its data kept) until next used. */
  idleMs: number;
  /** At most this many previews run at once. */
  maxRunning: number;
  /** Heap cap of each runner. */
  memoryMb: number;
  /** Multiplies queue visibility timeouts and delays. @default 1 */
  queueTimeScale?: number;
  /** The `@connections` endpoint of the environment's hosted WebSocket API. */
  callbackUrl(environment: Environment): Promise<string>;
  /**
   * The `@connections` operations of the environment's API, which its
   * runner calls over its own channel (calls to `callbackUrl` signed with
   * the runner's key); without them, over HTTP.
   */
  connections?(environmentId: string): RunnerConnections | undefined;
  /** How many backend replicas are alive; previews run with one only. */
  liveReplicas(): Promise<number>;
  logger: LoggerService;
  /**
   * Told (unthrottled) when a preview's logs, state or counts may have
   * changed: a log line, a start, a stop, a death, an invocation.
   */
  onChange?: (environmentId: string) => void;
  /** Log lines kept per function. @default 100 */
  logLines?: number;
  /** First restart delay after a runner died; doubles up to `maxRestartDelayMs`. @default 1000 */
  restartDelayMs?: number;
  /** @default 30000 */
  maxRestartDelayMs?: number;
  /** Consecutive deaths after which the preview is `failed` until next used. @default 5 */
  maxRestarts?: number;
  now?: () => number;
};

type LastExit = NonNullable<PreviewLogs['lastExit']>;

/** One environment's preview on this replica. */
type Slot = {
  environmentId: string;
  state: PreviewState;
  commit?: string;
  reason?: string;
  running?: RunningPreview;
  starting?: Promise<RunningPreview>;
  /** `@connections` credential of this runner (its AWS access key id). */
  key: string;
  logs: Map<string, PreviewLogLine[]>;
  lastExit?: LastExit;
  lastUsed: number;
  deaths: number;
  restartTimer?: NodeJS.Timeout;
  /** Set while it is stopped on purpose: its exit is no crash. */
  stopping: boolean;
};

const TERMINAL: ReadonlyArray<Environment['status']> = ['deleted', 'deleting'];

/**
 * Runs the local previews of this backend: one runner per environment,
 * started on first use (a socket connection or an invoke) from a clean
 * checkout of the published repository at the deployed commit; stopped
 * when idle (and started again on use), restarted with backoff when it
 * dies, stopped with its data removed when the environment is torn down.
 */
export class PreviewManager {
  private readonly slots = new Map<string, Slot>();
  /**
   * Environments whose preview was discarded (torn down, expired): a use
   * that read the environment before its teardown was recorded must not
   * start a runner nobody will stop. Cleared when the environment is live
   * again.
   */
  private readonly discarded = new Set<string>();
  private readonly ensuring = new Map<string, Promise<RunningPreview>>();
  /** Function names of each environment's deployed manifest, per commit. */
  private readonly functionNames = new Map<
    string,
    { commit?: string; names: Promise<string[]> }
  >();
  private closed = false;

  static create(options: PreviewManagerOptions): PreviewManager {
    return new PreviewManager(options);
  }

  private constructor(private readonly options: PreviewManagerOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Invokes a function of the environment's preview, starting it if needed. */
  async invoke(
    environmentId: string,
    fn: string,
    event: unknown,
  ): Promise<InvokeResult> {
    const running = await this.ensureRunning(environmentId);
    if (!running.functions.includes(fn)) {
      throw new InputError(
        `The service has no function ${JSON.stringify(
          fn,
        )}; its functions are ${running.functions.join(', ')}`,
      );
    }
    const slot = this.slots.get(environmentId);
    if (slot) slot.lastUsed = this.now();
    const result = await running.invoke(fn, event);
    if (slot && result.ok) slot.deaths = 0;
    this.changed(environmentId);
    return result;
  }

  /**
   * The environment's running preview, started if it sleeps. Concurrent
   * first uses (a burst of connections) share one start.
   */
  ensureRunning(environmentId: string): Promise<RunningPreview> {
    const running = this.slots.get(environmentId)?.running;
    if (running && !this.closed) {
      this.slots.get(environmentId)!.lastUsed = this.now();
      return Promise.resolve(running);
    }
    let pending = this.ensuring.get(environmentId);
    if (!pending) {
      pending = this.ensure(environmentId);
      this.ensuring.set(environmentId, pending);
      const settled = () => {
        if (this.ensuring.get(environmentId) === pending) {
          this.ensuring.delete(environmentId);
        }
      };
      pending.then(settled, settled);
    }
    return pending;
  }

  private async ensure(environmentId: string): Promise<RunningPreview> {
    if (this.closed) {
      throw new ConflictError('The backend is shutting down');
    }
    const environment = await this.localEnvironment(environmentId);
    const existing = this.slots.get(environmentId);
    if (existing?.running) {
      existing.lastUsed = this.now();
      return existing.running;
    }
    if (existing?.starting) return existing.starting;
    const replicas = await this.options.liveReplicas();
    if (replicas > 1) {
      throw new ConflictError(
        `Local previews run only on a portal with one backend replica, and ${replicas} are running: run one replica, or deploy previews to an aws target`,
      );
    }
    const active = [...this.slots.values()].filter(
      s => s.running || s.starting,
    ).length;
    if (active >= this.options.maxRunning) {
      throw new TooManyPreviewsError(
        `${active} local previews are running, as many as stackyard.previews.maxRunning allows; try again once one sleeps (after ${Math.round(
          this.options.idleMs / 60_000,
        )} idle minutes) or is torn down`,
      );
    }
    if (this.discarded.has(environmentId)) {
      throw new ConflictError(
        `${environment.stackName} was torn down: there is nothing to run`,
      );
    }
    const slot = existing ?? this.newSlot(environmentId);
    if (existing?.restartTimer) {
      clearTimeout(existing.restartTimer);
      existing.restartTimer = undefined;
    }
    return this.start(slot, environment);
  }

  /** Whether `key` is the `@connections` credential of the environment's runner. */
  isRunnerKey(environmentId: string, key: string): boolean {
    const slot = this.slots.get(environmentId);
    if (!slot) return false;
    const a = Buffer.from(slot.key);
    const b = Buffer.from(key);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * State, recent log lines per function, queue and table counts; starts
   * nothing. The functions of a preview that does not run come from its
   * deployed manifest.
   */
  async status(environmentId: string): Promise<PreviewLogs> {
    const environment = await this.localEnvironment(environmentId, {
      allowDeleted: true,
    });
    const slot = this.slots.get(environmentId);
    const running = slot?.running;
    const declared = running
      ? running.functions
      : await this.declaredFunctions(environment);
    if (!slot) {
      return {
        state: 'sleeping',
        functions: declared.map(name => ({ name, lines: [] })),
        queues: [],
        tables: [],
      };
    }
    const [queues, tables] = running
      ? await Promise.all([
          running.queues().catch(() => []),
          running.tables().catch(() => []),
        ])
      : [[], []];
    const names = new Set([...declared, ...slot.logs.keys()]);
    return {
      state: slot.state,
      ...(slot.reason ? { reason: slot.reason } : {}),
      functions: [...names].map(name => ({
        name,
        lines: [...(slot.logs.get(name) ?? [])],
      })),
      ...(slot.lastExit ? { lastExit: slot.lastExit } : {}),
      queues,
      tables,
    };
  }

  /**
   * Follows an environment change: a torn-down environment's runner is
   * stopped and its data removed (and none starts for it until it is
   * deployed again); a redeploy of another commit stops the runner, so the
   * next use runs the new commit.
   */
  async environmentChanged(environment: Environment): Promise<void> {
    const slot = this.slots.get(environment.id);
    if (TERMINAL.includes(environment.status)) {
      await this.discard(environment.id);
      return;
    }
    // Deployed again after a teardown: it may run again.
    if (environment.status === 'ready') this.discarded.delete(environment.id);
    if (slot?.commit && slot.commit !== environment.commit) {
      await this.sleep(slot, 'redeployed');
    }
  }

  /** Stops the preview and removes its data (teardown, expiry). */
  async discard(environmentId: string): Promise<void> {
    this.discarded.add(environmentId);
    this.functionNames.delete(environmentId);
    const slot = this.slots.get(environmentId);
    if (slot) {
      await this.halt(slot);
      this.slots.delete(environmentId);
    }
    await rm(this.workDir(environmentId), { recursive: true, force: true });
  }

  /**
   * Puts idle previews to sleep, and discards those whose environment is
   * gone. Called on a timer.
   */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const slot of [...this.slots.values()]) {
      const environment = await this.options.environments
        .getEnvironment(slot.environmentId)
        .catch(() => undefined);
      if (!environment || TERMINAL.includes(environment.status)) {
        await this.discard(slot.environmentId);
      } else if (slot.running && now - slot.lastUsed >= this.options.idleMs) {
        await this.sleep(slot, 'idle');
      }
    }
  }

  /**
   * Removes the data of previews whose environment was torn down (a
   * teardown while the backend was down leaves it); runs at startup.
   * Directories of environments this database does not know are kept: the
   * data directory may be shared with another backend on the host.
   */
  async removeOrphanedData(): Promise<number> {
    const names = await readdir(this.options.dataDirectory).catch(
      () => [] as string[],
    );
    let removed = 0;
    for (const name of names) {
      if (this.slots.has(name)) continue;
      const environment = await this.options.environments
        .getEnvironment(name)
        .catch(() => 'unknown' as const);
      if (environment === 'unknown' || !environment) continue;
      if (TERMINAL.includes(environment.status)) {
        await rm(this.workDir(name), { recursive: true, force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Stops every runner (their data stays, so they start again on use). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots.values()].map(s => this.halt(s)));
  }

  // ------------------------------------------------------------ internals

  private workDir(environmentId: string): string {
    return join(this.options.dataDirectory, environmentId);
  }

  /**
   * The function names of the deployed manifest, read once per commit
   * (without starting the runner); none when they cannot be read, e.g. the
   * repository is gone (an invoke then says why).
   */
  private declaredFunctions(environment: Environment): Promise<string[]> {
    if (TERMINAL.includes(environment.status)) return Promise.resolve([]);
    const known = this.functionNames.get(environment.id);
    if (known && known.commit === environment.commit) return known.names;
    const names = this.options.source
      .functionNames(environment, this.workDir(environment.id))
      .catch(error => {
        this.options.logger.debug(
          `Could not read the functions of ${environment.stackName}: ${error}`,
        );
        // Not kept: the next look tries again.
        this.functionNames.delete(environment.id);
        return [] as string[];
      });
    this.functionNames.set(environment.id, {
      commit: environment.commit,
      names,
    });
    return names;
  }

  private changed(environmentId: string): void {
    this.options.onChange?.(environmentId);
  }

  private newSlot(environmentId: string): Slot {
    const slot: Slot = {
      environmentId,
      state: 'sleeping',
      key: `SYP${randomBytes(24).toString('hex')}`,
      logs: new Map(),
      lastUsed: this.now(),
      deaths: 0,
      stopping: false,
    };
    this.slots.set(environmentId, slot);
    return slot;
  }

  private async localEnvironment(
    environmentId: string,
    { allowDeleted = false } = {},
  ): Promise<Environment> {
    const environment = await this.options.environments.getEnvironment(
      environmentId,
    );
    if (!environment) {
      throw new NotFoundError(`No environment with id "${environmentId}"`);
    }
    if (this.options.targets.get(environment.target)?.type !== 'local') {
      throw new ConflictError(
        `${environment.stackName} is not a local preview: it runs on target ${environment.target}`,
      );
    }
    if (!allowDeleted && TERMINAL.includes(environment.status)) {
      throw new ConflictError(
        `${environment.stackName} is ${environment.status}: there is nothing to run`,
      );
    }
    return environment;
  }

  private start(slot: Slot, environment: Environment): Promise<RunningPreview> {
    slot.state = 'starting';
    slot.reason = undefined;
    slot.stopping = false;
    slot.commit = environment.commit;
    const starting = this.launch(slot, environment);
    slot.starting = starting;
    starting.then(
      running => {
        slot.starting = undefined;
        if (slot.stopping || this.closed) {
          void running.stop();
          return;
        }
        slot.running = running;
        slot.state = 'running';
        slot.lastUsed = this.now();
        this.changed(slot.environmentId);
      },
      error => {
        slot.starting = undefined;
        slot.state = 'failed';
        slot.reason = String(error?.message ?? error);
        this.changed(slot.environmentId);
        this.options.logger.warn(
          `Local preview ${environment.stackName} (${environment.id}) could not start: ${slot.reason}`,
        );
      },
    );
    return starting;
  }

  private async launch(
    slot: Slot,
    environment: Environment,
  ): Promise<RunningPreview> {
    const workDir = this.workDir(environment.id);
    const prepared = await this.options.source.prepare(environment, workDir);
    const tmpDir = join(workDir, 'data');
    await rm(tmpDir, { recursive: true, force: true });
    const callbackUrl = await this.options.callbackUrl(environment);
    const connections = this.options.connections?.(environment.id);
    const running = await this.options.start({
      checkoutDir: prepared.checkoutDir,
      template: prepared.template,
      manifest: prepared.manifest,
      workDir: tmpDir,
      memoryMb: this.options.memoryMb,
      queueTimeScale: this.options.queueTimeScale,
      env: {
        WEBSOCKET_CALLBACK_URL: callbackUrl,
        // The runner's `@connections` calls sign with this key id; the host
        // accepts it for this environment only, while this runner lives.
        AWS_ACCESS_KEY_ID: slot.key,
        AWS_SECRET_ACCESS_KEY: 'stackyard-preview',
      },
      // The same calls over the runner's channel: bound to this
      // environment's API, whatever connection id the runner names.
      ...(connections && {
        connections: {
          ...connections,
          endpoint: callbackUrl,
          accessKeyId: slot.key,
        },
      }),
      onLog: line => this.addLog(slot, line),
      onExit: info => this.exited(slot, environment, info),
    });
    this.options.logger.info(
      `Local preview ${environment.stackName} (${environment.id}) running as process ${running.pid} at commit ${environment.commit}`,
    );
    return running;
  }

  private addLog(slot: Slot, line: PreviewLogLine): void {
    const limit = this.options.logLines ?? 100;
    const fn = line.fn || 'runner';
    const lines = slot.logs.get(fn) ?? [];
    lines.push({ ...line, fn, text: line.text.slice(0, 4000) });
    if (lines.length > limit) lines.splice(0, lines.length - limit);
    slot.logs.set(fn, lines);
    this.changed(slot.environmentId);
  }

  private exited(
    slot: Slot,
    environment: Environment,
    info: {
      code: number | null;
      signal: string | null;
      lastLogLines: string[];
    },
  ): void {
    slot.running = undefined;
    if (slot.stopping || this.closed) return;
    this.changed(slot.environmentId);
    slot.lastExit = {
      at: new Date(this.now()).toISOString(),
      code: info.code,
      signal: info.signal,
      lastLogLines: info.lastLogLines.slice(-50),
    };
    slot.deaths += 1;
    const maxRestarts = this.options.maxRestarts ?? 5;
    const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
    if (slot.deaths > maxRestarts) {
      slot.state = 'failed';
      slot.reason = `The runner died ${slot.deaths} times in a row (last: ${how}); it starts again on next use`;
      this.options.logger.warn(
        `Local preview ${environment.stackName}: ${slot.reason}`,
      );
      return;
    }
    const delay = Math.min(
      (this.options.restartDelayMs ?? 1000) * 2 ** (slot.deaths - 1),
      this.options.maxRestartDelayMs ?? 30_000,
    );
    slot.state = 'restarting';
    slot.reason = `The runner died (${how}); restarting in ${Math.round(
      delay / 1000,
    )} s`;
    this.options.logger.warn(
      `Local preview ${environment.stackName}: ${slot.reason}`,
    );
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (slot.stopping || this.closed || slot.running || slot.starting) return;
      void this.localEnvironment(environment.id)
        .then(current => this.start(slot, current))
        .catch(error => {
          slot.state = 'failed';
          slot.reason = String(error?.message ?? error);
        });
    }, delay);
    slot.restartTimer.unref?.();
  }

  private async sleep(slot: Slot, why: string): Promise<void> {
    await this.halt(slot);
    slot.state = 'sleeping';
    slot.reason = undefined;
    this.changed(slot.environmentId);
    this.options.logger.info(
      `Local preview ${slot.environmentId} sleeps (${why}); it starts again on use`,
    );
  }

  /** Stops the runner (running or starting) without counting it as a crash. */
  private async halt(slot: Slot): Promise<void> {
    slot.stopping = true;
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
    const running =
      slot.running ?? (await slot.starting?.catch(() => undefined));
    slot.running = undefined;
    slot.starting = undefined;
    await running?.stop().catch(() => undefined);
  }
}
