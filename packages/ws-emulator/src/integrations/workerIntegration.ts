import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WebSocketEvent } from '../events';
import {
  Integration,
  IntegrationContext,
  IntegrationError,
  ProxyResult,
} from './types';
import { WORKER_THREAD_SOURCE } from './workerThreadSource';

/**
 * Options of {@link workerIntegration}.
 * @public
 */
export interface WorkerIntegrationOptions {
  /** Absolute path of a JavaScript module (CommonJS or ES module). */
  readonly module: string;
  /**
   * Name of the exported Lambda-style handler.
   * @default 'handler'
   */
  readonly export?: string;
  /**
   * Worker threads to spread invocations over (each its own event loop,
   * like Lambda execution environments; each takes concurrent invocations).
   * @default 1
   */
  readonly workers?: number;
  /**
   * Function name shown in `context.functionName` and in logs.
   * @default the module's file name and export
   */
  readonly name?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  deadline: number;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

// Answers arriving this long after an invocation's deadline are dropped:
// the invocation was already failed with a timeout.
const LATE_ANSWER_GRACE_MS = 1000;

/**
 * Runs a Lambda-style handler module in worker threads, so the handler's
 * work (say, an AWS SDK client posting to `@connections`) does not share
 * the emulator's event loop — the way a Lambda function runs apart from API
 * Gateway. The module is loaded in each thread on the first invocation; a
 * module that fails to load fails every invocation with the load error. A
 * thread that exits fails its pending invocations and is replaced on the
 * next one. CLI and local development only, like `moduleIntegration`.
 * @public
 */
export function workerIntegration(
  options: WorkerIntegrationOptions,
): Integration {
  const file = options.module;
  const exportName = options.export ?? 'handler';
  const size = options.workers ?? 1;
  if (!path.isAbsolute(file)) {
    throw new TypeError(
      `workerIntegration: module must be an absolute path, got ${JSON.stringify(
        file,
      )}`,
    );
  }
  if (!fs.existsSync(file)) {
    throw new TypeError(
      `workerIntegration: module ${JSON.stringify(file)} does not exist`,
    );
  }
  if (!Number.isInteger(size) || size < 1 || size > 64) {
    throw new TypeError(
      `workerIntegration: workers must be an integer from 1 to 64, got ${size}`,
    );
  }
  const functionName = options.name ?? `${path.basename(file)}#${exportName}`;
  const description = `worker:${functionName}`;
  const threads: Thread[] = [];
  let loadError: IntegrationError | undefined;
  let closed = false;
  let nextId = 0;
  let sweeper: NodeJS.Timeout | undefined;

  const failAll = (thread: Thread, error: IntegrationError) => {
    for (const pending of thread.pending.values()) {
      pending.reject(error);
    }
    thread.pending.clear();
  };

  const remove = (thread: Thread) => {
    const index = threads.indexOf(thread);
    if (index >= 0) {
      threads.splice(index, 1);
    }
  };

  const spawn = (): Thread => {
    const worker = new Worker(WORKER_THREAD_SOURCE, {
      eval: true,
      workerData: { file, exportName, functionName },
    });
    // The emulator's server keeps the process alive; idle threads must not.
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', message => {
      if (message.type === 'load-error') {
        loadError = new IntegrationError(
          `${description}: cannot load handler from ${JSON.stringify(file)}: ${
            message.message
          }`,
        );
        failAll(thread, loadError);
        remove(thread);
        void worker.terminate();
        return;
      }
      const pending = thread.pending.get(message.id);
      if (!pending) {
        return;
      }
      thread.pending.delete(message.id);
      if (message.ok) {
        pending.resolve(message.value);
      } else {
        pending.reject(new IntegrationError(message.message));
      }
    });
    let failure = 'exited';
    worker.on('error', (error: Error) => {
      failure = `crashed: ${error.message}`;
    });
    worker.on('exit', code => {
      remove(thread);
      failAll(
        thread,
        new IntegrationError(`${description}: worker ${failure} (${code})`),
      );
    });
    return thread;
  };

  const sweep = () => {
    const now = Date.now() - LATE_ANSWER_GRACE_MS;
    for (const thread of threads) {
      for (const [id, pending] of thread.pending) {
        if (pending.deadline < now) {
          thread.pending.delete(id);
        }
      }
    }
  };

  // The thread with the fewest invocations in flight, starting the pool
  // on first use and replacing threads that exited.
  const pick = (): Thread => {
    while (threads.length < size) {
      threads.push(spawn());
    }
    let best = threads[0];
    for (let i = 1; i < threads.length; i++) {
      if (threads[i].pending.size < best.pending.size) {
        best = threads[i];
      }
    }
    if (!sweeper) {
      sweeper = setInterval(sweep, LATE_ANSWER_GRACE_MS);
      sweeper.unref();
    }
    return best;
  };

  return {
    description,
    invoke(event: WebSocketEvent, ctx: IntegrationContext) {
      if (loadError) {
        return Promise.reject(loadError);
      }
      if (closed) {
        return Promise.reject(new IntegrationError(`${description} is closed`));
      }
      const thread = pick();
      const id = nextId++;
      // The value is checked as a proxy result by the caller (`invoke.ts`).
      return new Promise<ProxyResult | undefined>((resolve, reject) => {
        thread.pending.set(id, {
          resolve: value => resolve(value as ProxyResult | undefined),
          reject,
          deadline: ctx.deadline,
        });
        thread.worker.postMessage({
          id,
          event,
          awsRequestId: ctx.awsRequestId,
          deadline: ctx.deadline,
        });
      });
    },
    close() {
      closed = true;
      clearInterval(sweeper);
      for (const thread of threads.splice(0)) {
        failAll(thread, new IntegrationError(`${description} is closed`));
        void thread.worker.terminate();
      }
    },
  };
}
