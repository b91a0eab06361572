import { permissionFlags } from '@stackyard/cdk-guardrails/sandbox';
import { spawn } from 'child_process';
import { mkdirSync, readFileSync, realpathSync } from 'fs';
import { join } from 'path';
import type { Readable } from 'stream';
import { parseInvokeResult, parseQueues, parseTables } from './answers';
import { boundedLines } from './boundedLines';
import { connectionCalls } from './connectionCalls';
import { buildPlan } from './plan/buildPlan';
import type { FromRunner, LogFrame, ToRunner } from './runner/protocol';
import {
  MAX_LOG_LINE,
  MAX_MESSAGE_CHARS,
  MAX_RESULT_BYTES,
} from './runner/protocol';
import { RUNNER_LOG } from './runner/logCapture';
import { runnerCode } from './sandbox/runnerAccess';
import type {
  InvokeResult,
  PreviewLogLine,
  RunningPreview,
  StartPreviewOptions,
} from './types';

/** The answer to a call whose answer was cut at the cap. */
const TOO_LARGE = Symbol('too large');
/** The answer to a call the runner did not answer in time. */
const NO_ANSWER = Symbol('no answer');
/** How much longer than a function's timeout a call may wait for its answer. */
const ANSWER_MARGIN_MS = 10_000;

/** Lines kept for `onExit`. */
const LAST_LINES = 50;

/** Why a preview could not start or went away. */
export class PreviewRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewRuntimeError';
  }
}

function residentMb(pid: number): number | undefined {
  try {
    const pages = Number(
      readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1],
    );
    return (pages * 4096) / 2 ** 20;
  } catch {
    return undefined;
  }
}

function parseLine(
  line: string,
  stream: 'stdout' | 'stderr',
): Omit<PreviewLogLine, 'at'> {
  if (stream === 'stdout' && line.startsWith('{"f":')) {
    try {
      const frame = JSON.parse(line) as LogFrame;
      if (typeof frame.f === 'string' && typeof frame.t === 'string') {
        return {
          fn: frame.f.slice(0, 64),
          stream: frame.s === 'stderr' ? 'stderr' : 'stdout',
          text: frame.t.slice(0, MAX_LOG_LINE),
        };
      }
    } catch {
      // not a frame: the line as it is
    }
  }
  return { fn: RUNNER_LOG, stream, text: line.slice(0, MAX_LOG_LINE) };
}

/**
 * Starts one preview: a runner process under Node's permission model (reads
 * only the checkout and the runtime's own modules, writes only `workDir`, no
 * child processes or workers, no network but its engines and the URLs of
 * `env`), an environment built from nothing (no variable of the backend's,
 * no credentials), a heap cap; in it the service's functions, its tables on
 * dynalite and its queues, as the synthesized template defines them.
 * Resolves once the engines are up and the tables created.
 * @throws PreviewPlanError when the template or manifest cannot run;
 * PreviewRuntimeError when the runner cannot start.
 */
export async function startPreview(
  options: StartPreviewOptions,
): Promise<RunningPreview> {
  mkdirSync(join(options.workDir, 'tmp'), { recursive: true });
  const workDir = realpathSync(options.workDir);
  const checkoutDir = realpathSync(options.checkoutDir);
  const plan = buildPlan({
    checkoutDir,
    template: options.template,
    manifest: options.manifest,
    workDir,
  });
  const memoryMb = options.memoryMb ?? 128;
  const code = runnerCode();
  const flags = permissionFlags({
    read: [...code.read, checkoutDir],
    write: [workDir],
  });
  if (!flags) {
    throw new PreviewRuntimeError(
      `this Node.js (${process.version}) has no permission model, so a preview cannot run sandboxed; use Node.js 20 or newer`,
    );
  }
  const child = spawn(
    process.execPath,
    [
      ...flags,
      `--max-old-space-size=${memoryMb}`,
      // A 1 MiB young generation keeps an idle preview small (README, Benchmark).
      `--max-semi-space-size=1`,
      code.entry,
      ...code.args,
    ],
    {
      cwd: workDir,
      // Built from nothing: none of the backend's variables, no credentials.
      env: {
        TZ: 'UTC',
        LANG: 'C.UTF-8',
        PATH: '/usr/bin:/bin',
        HOME: workDir,
        TMPDIR: join(workDir, 'tmp'),
        NODE_PATH: code.nodePath,
        // One malloc arena instead of one per thread that allocates: about
        // 1 MiB less resident, no CPU cost measured (README, Runner memory).
        // The entry removes it from what handler code sees.
        MALLOC_ARENA_MAX: '1',
      },
      // stdin: requests; 3: the runner's messages (see runner/protocol.ts).
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    },
  );
  const lastLines: string[] = [];
  let stopping = false;
  const log = (line: Omit<PreviewLogLine, 'at'>) => {
    lastLines.push(`[${line.fn}] ${line.text}`);
    if (lastLines.length > LAST_LINES) lastLines.shift();
    options.onLog?.({ ...line, at: new Date().toISOString() });
  };
  // Bounded: a runner writing without newlines cannot grow the backend.
  boundedLines(child.stdout!, MAX_LOG_LINE * 2, l =>
    log(parseLine(l, 'stdout')),
  );
  boundedLines(child.stderr!, MAX_LOG_LINE, l => log(parseLine(l, 'stderr')));

  const pending = new Map<number, (value: unknown) => void>();
  const timeouts = new Map(plan.functions.map(f => [f.name, f.timeoutSeconds]));
  let nextId = 1;
  let ready: (message: FromRunner | { type: 'gone' }) => void = () => undefined;
  const readyMessage = new Promise<FromRunner | { type: 'gone' }>(resolve => {
    ready = resolve;
  });
  const deliver = (id: number, value: unknown) => {
    const resolve = pending.get(id);
    pending.delete(id);
    // After the lines already in the pipes: what a call logged comes first.
    if (resolve) setImmediate(() => resolve(value));
  };
  const messages = child.stdio[3] as Readable;
  let reading = true;
  const callsOf = options.connections
    ? connectionCalls(options.connections, answers => {
        if (!child.stdin!.writable) return;
        const line = JSON.stringify({ type: 'connections', answers });
        if (!child.stdin!.write(`${line}\n`) && reading) {
          // A runner that does not read its answers gets no more calls
          // read until it does: what it sends cannot pile up here.
          reading = false;
          messages.pause();
          child.stdin!.once('drain', () => {
            reading = true;
            messages.resume();
          });
        }
      })
    : undefined;
  boundedLines(messages, MAX_MESSAGE_CHARS, line => {
    if (line.length >= MAX_MESSAGE_CHARS) {
      // Cut: an answer too large to take; its call fails, nothing is kept.
      const id = /^\{"type":"answer","id":(\d+),/.exec(line)?.[1];
      if (id) deliver(Number(id), TOO_LARGE);
      return;
    }
    let message: FromRunner;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (message?.type === 'answer') deliver(message.id, message.value);
    else if (message?.type === 'connections') callsOf?.(message);
    else ready(message);
  });
  child.stdin!.on('error', () => undefined);
  child.on('error', () => undefined);
  const request = (message: ToRunner): boolean => {
    if (!child.stdin!.writable) return false;
    child.stdin!.write(`${JSON.stringify(message)}\n`);
    return true;
  };
  const memoryWatch = setInterval(() => {
    const rss = child.pid ? residentMb(child.pid) : undefined;
    if (rss !== undefined && rss > memoryMb * 2) {
      log({
        fn: RUNNER_LOG,
        stream: 'stderr',
        text: `resident memory ${Math.round(
          rss,
        )} MiB is over twice the cap of ${memoryMb} MiB: stopped`,
      });
      child.kill('SIGKILL');
    }
  }, 250);
  memoryWatch.unref();
  const exited = new Promise<void>(resolve => {
    child.once('exit', (exitCode, signal) => {
      clearInterval(memoryWatch);
      ready({ type: 'gone' });
      // Lines still in the pipes are read before anyone is told.
      setImmediate(() => {
        for (const answer of pending.values()) answer(undefined);
        pending.clear();
        if (!stopping)
          options.onExit?.({
            code: exitCode,
            signal,
            lastLogLines: [...lastLines],
          });
        resolve();
      });
    });
  });

  const kill = async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL');
    await exited;
  };
  const startup = setTimeout(
    () => ready({ type: 'gone' }),
    options.startupTimeoutMs ?? 30_000,
  );
  request({
    type: 'start',
    plan,
    env: options.env ?? {},
    queueTimeScale: options.queueTimeScale ?? 1,
    ttlSweepIntervalMs: options.ttlSweepIntervalMs,
    ...(options.connections && {
      connections: {
        endpoint: options.connections.endpoint,
        accessKeyId: options.connections.accessKeyId,
      },
    }),
  });
  const first = await readyMessage;
  clearTimeout(startup);
  if (first.type !== 'ready') {
    await kill();
    let reason = `the runner did not start: ${
      lastLines.slice(-5).join(' | ') || 'no output'
    }`;
    if (first.type === 'refused')
      reason = `the runner cannot be sandboxed: ${first.reason}`;
    if (first.type === 'failed') reason = first.message;
    throw new PreviewRuntimeError(`preview of ${plan.stackName}: ${reason}`);
  }

  const ask = (
    message:
      | { type: 'invoke'; fn: string; event: unknown }
      | { type: 'queues' }
      | { type: 'tables' },
  ): Promise<unknown> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve(undefined);
    }
    const id = nextId++;
    // A runner that does not answer (its channel broken by the code it runs)
    // fails the call after the function's timeout and a margin.
    const timeoutMs =
      (message.type === 'invoke' ? (timeouts.get(message.fn) ?? 0) * 1000 : 0) +
      ANSWER_MARGIN_MS;
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(NO_ANSWER);
      }, timeoutMs);
      pending.set(id, value => {
        clearTimeout(timer);
        resolve(value);
      });
      if (!request({ ...message, id } as ToRunner)) {
        clearTimeout(timer);
        pending.delete(id);
        resolve(undefined);
      }
    });
  };
  const answered = <T>(
    answer: unknown,
    parse: (value: unknown) => T | undefined,
  ): T => {
    if (answer === undefined)
      throw new PreviewRuntimeError('the preview runner is not running');
    const parsed = parse(answer);
    if (parsed === undefined)
      throw new PreviewRuntimeError(
        'the preview runner gave an invalid answer',
      );
    return parsed;
  };
  const gone = (started: number): InvokeResult => ({
    ok: false,
    error: {
      name: 'Runtime.ExitError',
      message: 'the preview runner is not running',
    },
    durationMs: performance.now() - started,
  });

  return {
    functions: plan.functions.map(f => f.name),
    pid: child.pid!,
    async invoke(fn, event) {
      const started = performance.now();
      const result = await ask({ type: 'invoke', fn, event });
      if (result === undefined) return gone(started);
      if (result === NO_ANSWER) {
        return {
          ok: false,
          error: {
            name: 'Sandbox.Timedout',
            message: `the preview runner did not answer within the function's timeout and ${ANSWER_MARGIN_MS} ms`,
          },
          durationMs: performance.now() - started,
        };
      }
      if (result === TOO_LARGE) {
        return {
          ok: false,
          error: {
            name: 'Function.ResponseSizeTooLarge',
            message: `Response payload size exceeded maximum allowed payload size (${MAX_RESULT_BYTES} bytes).`,
          },
          durationMs: performance.now() - started,
        };
      }
      return (
        parseInvokeResult(result) ?? {
          ok: false,
          error: {
            name: 'Runtime.InvalidResponse',
            message:
              'the preview runner gave an answer that is not an invocation result',
          },
          durationMs: performance.now() - started,
        }
      );
    },
    async queues() {
      return answered(await ask({ type: 'queues' }), parseQueues);
    },
    async tables() {
      return answered(await ask({ type: 'tables' }), parseTables);
    },
    stop: kill,
  };
}
