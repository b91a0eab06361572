import { AsyncLocalStorage } from 'async_hooks';
import { MAX_LOG_LINE } from './protocol';

/** Who is running now: the function whose invocation this async context belongs to. */
export interface CurrentFunction {
  readonly name: string;
  readonly env: Record<string, string>;
}

/** The current function of every async context in the runner. */
export const currentFunction = new AsyncLocalStorage<CurrentFunction>();

/** Name of the runner's own lines (not written by a function). */
export const RUNNER_LOG = '(runner)';

type Write = (
  chunk: unknown,
  encoding?: unknown,
  callback?: unknown,
) => boolean;

/**
 * Frames everything written to stdout and stderr as one JSON line per line
 * of text on the runner's real stdout, with the name of the function whose
 * invocation wrote it (console.* writes through these streams). Writes to a
 * pipe are synchronous on Linux, so the lines before a crash reach the
 * backend.
 */
export function captureLogs(): void {
  const out = process.stdout.write.bind(process.stdout) as Write;
  const frame = (stream: 'stdout' | 'stderr'): Write =>
    function framedWrite(chunk, encoding, callback) {
      const text = Buffer.isBuffer(chunk)
        ? chunk.toString('utf8')
        : String(chunk);
      const fn = currentFunction.getStore()?.name ?? RUNNER_LOG;
      let lines = '';
      for (const line of text.replace(/\n$/, '').split('\n')) {
        lines += `${JSON.stringify({
          f: fn,
          s: stream,
          t: line.slice(0, MAX_LOG_LINE),
        })}\n`;
      }
      const done = typeof encoding === 'function' ? encoding : callback;
      return out(lines, 'utf8', done);
    };
  process.stdout.write = frame('stdout') as typeof process.stdout.write;
  process.stderr.write = frame('stderr') as typeof process.stderr.write;
}

/**
 * Makes `process.env` the current function's environment: each function
 * sees its own variables, as in Lambda, though all share one process. Code
 * outside any invocation sees the runner's own.
 */
export function perFunctionEnv(): void {
  const own = { ...process.env } as Record<string, string>;
  const env = () => currentFunction.getStore()?.env ?? own;
  process.env = new Proxy(own, {
    get: (_, key) => (typeof key === 'string' ? env()[key] : undefined),
    set: (_, key, value) => {
      if (typeof key === 'string') env()[key] = String(value);
      return true;
    },
    has: (_, key) => typeof key === 'string' && key in env(),
    deleteProperty: (_, key) => {
      if (typeof key === 'string') delete env()[key];
      return true;
    },
    ownKeys: () => Reflect.ownKeys(env()),
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && key in env()
        ? {
            value: env()[key],
            writable: true,
            enumerable: true,
            configurable: true,
          }
        : undefined,
  });
}
