import { ChildProcess, spawn } from 'child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'fs';
import { setPriority, tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { SandboxError } from './SandboxError';
import { permissionFlags } from './permissionFlags';
import type { FromSandbox, SandboxJob, ToSandbox } from './protocol';
import { packageRoot } from '../packageRoot';

/**
 * Prefix of each sandbox's temporary directory, which goes on with the
 * process id of the pool's process: `stackyard-sandbox-<pid>-XXXXXX`.
 */
export const SANDBOX_TMP_PREFIX = 'stackyard-sandbox-';

const OWNED_SANDBOX_DIR = new RegExp(`^${SANDBOX_TMP_PREFIX}(\\d+)-`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the sandbox directories of pools whose process is gone: a backend
 * killed without its shutdown hooks (SIGKILL, a crash) cannot remove its own.
 */
export function removeOrphanedSandboxDirs(tmpRoot: string): string[] {
  let names: string[];
  try {
    names = readdirSync(tmpRoot);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(OWNED_SANDBOX_DIR.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(tmpRoot, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The directory name of the job's copy inside a sandbox's directory. */
export const SANDBOX_APP_DIR = 'app';

/** Options of {@link SandboxPool}. */
export interface SandboxPoolOptions {
  /**
   * Wall-time cap of one job, in milliseconds: past it the sandbox is killed.
   *
   * @default 60000
   */
  readonly timeoutMs?: number;
  /**
   * Memory cap of one sandbox, in MiB: the V8 heap limit
   * (`--max-old-space-size`); the pool also kills a sandbox whose resident
   * memory goes over twice this.
   *
   * @default 1024
   */
  readonly memoryMb?: number;
  /**
   * How long a sandbox may take to start and warm up, in milliseconds.
   *
   * @default 120000
   */
  readonly startupTimeoutMs?: number;
  /**
   * Keep a warmed-up spare sandbox waiting for the next job.
   *
   * @default true
   */
  readonly prewarm?: boolean;
  /**
   * Where sandboxes get their temporary directories.
   *
   * @default - the OS temporary directory
   */
  readonly tmpRoot?: string;
  /**
   * Niceness of sandbox processes (0 to 19): a spare warming up, and the
   * job it then runs, yield the CPU to the backend's own work. Raising it
   * needs no privileges; failures are ignored.
   *
   * @default 10
   */
  readonly niceness?: number;
}

/** Directories a file is copied into a sandbox without: dependencies, VCS data, build output. */
const NOT_COPIED = new Set(['node_modules', '.git', 'cdk.out']);

/**
 * Which entries of `dir` a job's copy gets (the filter of its `cpSync`):
 * not the top-level `node_modules`, `.git` or `cdk.out`, and no symbolic
 * links (they could point outside the copy; the sandbox gets files only).
 */
export function copiedIntoSandbox(dir: string): (source: string) => boolean {
  return source =>
    !NOT_COPIED.has(source.slice(dir.length + 1).split(/[\\/]/)[0]) &&
    !lstatSync(source).isSymbolicLink();
}

/**
 * Lowers the CPU priority of a process. On Linux niceness is per thread and
 * a new thread takes its creator's, so every thread there now is reniced.
 */
function renice(pid: number | undefined, niceness: number): void {
  if (pid === undefined || niceness === 0) return;
  let threads = [pid];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    // not Linux, or the process is gone
  }
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
    } catch {
      // gone, or not allowed: the sandbox runs at normal priority
    }
  }
}

/**
 * What a sandbox may read besides its own directory: the guardrails package,
 * the `node_modules` directory its aws-cdk-lib comes from, and the packages
 * of this repository it depends on (linked, so outside that directory).
 */
function readableCode(root: string): { read: string[]; nodePath: string } {
  const fromHere = (request: string) =>
    require.resolve(request, { paths: [root] });
  const nodePath = dirname(dirname(fromHere('aws-cdk-lib/package.json')));
  const read = [root, nodePath];
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const linked = join(nodePath, name);
    if (name.startsWith('@stackyard/') && existsSync(linked)) {
      read.push(realpathSync(linked));
    }
  }
  return { read: [...new Set(read.map(p => realpathSync(p)))], nodePath };
}

function residentMb(pid: number): number | undefined {
  try {
    // statm: sizes in pages; the second field is the resident set.
    const pages = Number(
      readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1],
    );
    return (pages * 4096) / 2 ** 20;
  } catch {
    return undefined;
  }
}

/** One sandbox process and its directory. */
class Sandbox {
  readonly dir: string;
  readonly child: ChildProcess;
  /** Resolves when the sandbox is warm; rejects when it cannot run jobs. */
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  private answer?: (message: FromSandbox) => void;
  private stderr = '';
  private killedFor?: 'timeout' | 'memory' | 'closed';
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private memoryWatch?: NodeJS.Timeout;

  constructor(
    private readonly options: Required<SandboxPoolOptions>,
    entry: string,
    code: { read: string[]; nodePath: string },
  ) {
    this.dir = realpathSync(
      mkdtempSync(
        join(options.tmpRoot, `${SANDBOX_TMP_PREFIX}${process.pid}-`),
      ),
    );
    const flags = permissionFlags({ read: code.read, write: [this.dir] });
    if (!flags) {
      rmSync(this.dir, { recursive: true, force: true });
      throw new SandboxError(
        'unavailable',
        `this Node.js (${process.version}) has no permission model, so code from a repository cannot be run sandboxed; use Node.js 20 or newer`,
      );
    }
    this.child = spawn(
      process.execPath,
      [...flags, `--max-old-space-size=${options.memoryMb}`, entry],
      {
        cwd: this.dir,
        // Built from nothing: none of the backend's variables, no credentials.
        // NODE_PATH lets repository code require the sandbox's aws-cdk-lib;
        // toolkit-lib would otherwise look for a default region in EC2
        // instance metadata (stacks keep the environment they are given).
        env: {
          NODE_ENV: 'production',
          TZ: 'UTC',
          LANG: 'C.UTF-8',
          TMPDIR: this.dir,
          NODE_PATH: code.nodePath,
          AWS_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    // At once, before Node starts its threads (they take the main thread's
    // niceness), and again once warm for any thread that was quicker.
    renice(this.child.pid, options.niceness);
    this.child.stderr!.on('data', (chunk: Buffer) => {
      // Kept only to recognise a heap overflow; never shown.
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4096);
    });
    this.exited = new Promise(resolveExit => {
      this.child.once('exit', (exitCode, signal) => {
        this.exitCode = exitCode;
        this.exitSignal = signal;
        clearInterval(this.memoryWatch);
        resolveExit();
      });
    });
    this.child.on('message', m => this.answer?.(m as FromSandbox));
    this.child.on('error', () => undefined);
    const residentCap = options.memoryMb * 2;
    this.memoryWatch = setInterval(() => {
      const rss = this.child.pid ? residentMb(this.child.pid) : undefined;
      if (rss !== undefined && rss > residentCap) this.kill('memory');
    }, 100);
    this.memoryWatch.unref();
    this.ready = this.next(options.startupTimeoutMs).then(message => {
      if (message.type === 'refused') {
        throw new SandboxError(
          'unavailable',
          `code from a repository cannot be run sandboxed: ${message.reason}`,
        );
      }
      if (message.type !== 'ready') {
        throw this.failure(message);
      }
      renice(this.pid, options.niceness);
    });
    this.ready.catch(() => this.kill('closed'));
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  kill(reason: 'timeout' | 'memory' | 'closed'): void {
    this.killedFor ??= reason;
    if (this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGKILL');
  }

  /** The next message, or why there is none: the process ended or ran out of time. */
  private next(timeoutMs: number): Promise<FromSandbox | { type: 'gone' }> {
    return new Promise(resolveMessage => {
      const timer = setTimeout(() => {
        this.kill('timeout');
      }, timeoutMs);
      const done = (m: FromSandbox | { type: 'gone' }) => {
        clearTimeout(timer);
        this.answer = undefined;
        resolveMessage(m);
      };
      this.answer = done;
      this.exited.then(() => done({ type: 'gone' }));
    });
  }

  /** Runs the job over a copy of `dir`; the process exits after answering. */
  async run(dir: string, job: SandboxJob): Promise<unknown> {
    const copy = join(this.dir, SANDBOX_APP_DIR);
    cpSync(dir, copy, { recursive: true, filter: copiedIntoSandbox(dir) });
    const answer = this.next(this.options.timeoutMs);
    this.child.send({ type: 'job', dir: copy, job } satisfies ToSandbox);
    const message = await answer;
    if (message.type === 'result') return message.value;
    throw this.failure(message);
  }

  /** Waits for the process to end (it exits after answering), killing it if it lingers. */
  async gone(): Promise<void> {
    const linger = setTimeout(() => this.kill('closed'), 2000);
    await this.exited;
    clearTimeout(linger);
  }

  private failure(message: FromSandbox | { type: 'gone' }): SandboxError {
    if (message.type === 'failed') {
      return new SandboxError('failed', message.error.message, message.error);
    }
    if (this.killedFor === 'timeout') {
      return new SandboxError(
        'timeout',
        `the sandboxed job did not finish within ${this.options.timeoutMs} ms and was stopped`,
      );
    }
    if (
      this.killedFor === 'memory' ||
      /heap out of memory|Reached heap limit/.test(this.stderr)
    ) {
      return new SandboxError(
        'memory',
        `the sandboxed job went over its memory cap of ${this.options.memoryMb} MiB and was stopped`,
      );
    }
    if (this.killedFor === 'closed') {
      return new SandboxError(
        'crashed',
        'the sandbox was closed before the job finished',
      );
    }
    return new SandboxError(
      'crashed',
      `the sandbox process ended without an answer (${
        this.exitSignal ?? `exit code ${this.exitCode}`
      })`,
    );
  }

  async dispose(): Promise<void> {
    this.kill('closed');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs jobs over a directory in single-use sandbox processes: each job gets
 * a fresh Node.js process under the permission model (read: its own copy of
 * the directory and the library code it needs; write: only its own temporary
 * directory; no child processes, workers or native addons), an environment
 * of its own with no credentials, a heap cap and a wall-time cap. Jobs return
 * plain data. One warmed-up spare waits for the next job, so a job does not
 * pay for loading aws-cdk-lib; sandboxes run at a lower CPU priority
 * (`niceness`), so warming a spare does not slow the backend. `close()` kills every sandbox and removes
 * their directories.
 */
export class SandboxPool {
  private readonly options: Required<SandboxPoolOptions>;
  private readonly root = packageRoot();
  private readonly entry = resolve(this.root, 'bin/sandbox-child.js');
  private code?: { read: string[]; nodePath: string };
  private spare?: Sandbox;
  private readonly live = new Set<Sandbox>();
  private closed = false;
  private unavailable?: SandboxError;

  private constructor(options: SandboxPoolOptions) {
    this.options = {
      timeoutMs: options.timeoutMs ?? 60_000,
      memoryMb: options.memoryMb ?? 1024,
      startupTimeoutMs: options.startupTimeoutMs ?? 120_000,
      prewarm: options.prewarm ?? true,
      tmpRoot: options.tmpRoot ?? tmpdir(),
      niceness: options.niceness ?? 10,
    };
  }

  /** A pool; with `prewarm` (the default) its first spare starts at once. */
  static create(options: SandboxPoolOptions = {}): SandboxPool {
    const pool = new SandboxPool(options);
    removeOrphanedSandboxDirs(pool.options.tmpRoot);
    if (pool.options.prewarm) pool.startSpare();
    return pool;
  }

  /** Process IDs of the sandboxes alive now. */
  get pids(): number[] {
    return [...this.live]
      .map(s => s.pid)
      .filter((p): p is number => p !== undefined);
  }

  private startSpare(): Sandbox | undefined {
    if (this.closed || this.unavailable) return undefined;
    let sandbox: Sandbox;
    try {
      this.code ??= readableCode(this.root);
      sandbox = new Sandbox(this.options, this.entry, this.code);
    } catch (e) {
      if (e instanceof SandboxError) this.unavailable = e;
      throw e;
    }
    this.live.add(sandbox);
    sandbox.exited.then(() => {
      if (this.spare === sandbox) this.spare = undefined;
    });
    sandbox.ready.catch(e => {
      if (e instanceof SandboxError && e.reason === 'unavailable')
        this.unavailable = e;
    });
    this.spare = sandbox;
    return sandbox;
  }

  /**
   * Runs one job in a fresh sandbox over a copy of `dir`, and returns its
   * answer. `consume` runs once the sandbox process is gone and before its
   * directory is removed, with the directory, to read files the job left.
   * Throws a {@link SandboxError} when the job fails, runs out of time or
   * memory, or sandboxes are unavailable.
   */
  async run<T = unknown, R = T>(
    dir: string,
    job: SandboxJob,
    consume?: (value: T, sandboxDir: string) => R | Promise<R>,
  ): Promise<R> {
    if (this.closed)
      throw new SandboxError('crashed', 'the sandbox pool is closed');
    if (this.unavailable) throw this.unavailable;
    const sandbox = this.spare ?? this.startSpare()!;
    this.spare = undefined;
    try {
      this.startSpare();
    } catch {
      // the next run reports it
    }
    let waited = false;
    try {
      await sandbox.ready;
      const value = (await sandbox.run(dir, job)) as T;
      if (!consume) return value as unknown as R;
      // Files are read only once the process is gone, so nothing changes
      // them while the caller reads.
      await sandbox.gone();
      waited = true;
      return await consume(value, sandbox.dir);
    } finally {
      const disposed = sandbox.dispose().then(() => this.live.delete(sandbox));
      if (waited) await disposed;
    }
  }

  /** Kills every sandbox, waits for them to end and removes their directories. */
  async close(): Promise<void> {
    this.closed = true;
    this.spare = undefined;
    await Promise.all([...this.live].map(s => s.dispose()));
    this.live.clear();
  }
}
