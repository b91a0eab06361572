import { randomUUID } from 'crypto';
import type { FunctionPlan, PreviewPlan } from '../plan/types';
import type { InvokeResult } from '../types';
import { currentFunction } from './logCapture';
import { MAX_RESULT_BYTES } from './protocol';

type Handler = (
  event: unknown,
  context: object,
  callback?: (error: unknown, value?: unknown) => void,
) => unknown;

/** Loads an ES module (from the entry script: TypeScript transforms would turn `import()` into `require`). */
export type ImportModule = (url: string) => Promise<Record<string, unknown>>;

function errorOf(error: unknown): {
  name: string;
  message: string;
  stack?: string;
} {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return {
    name: 'Error',
    message:
      typeof error === 'string'
        ? error
        : JSON.stringify(error) ?? String(error),
  };
}

/** The string fields of a thrown error besides its message (e.g. `code`, `resource`). */
function detailsOf(error: unknown): Record<string, string> {
  if (!error || typeof error !== 'object') return {};
  return Object.fromEntries(
    Object.entries(error).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * The functions of a preview in the runner: each handler loaded on its first
 * invocation inside that function's context (so module code reads its own
 * environment), called with a Lambda-style event and context, its result
 * JSON-serialized, and a call running over the function's timeout failing
 * as Lambda's `Sandbox.Timedout`.
 */
export class FunctionHost {
  private readonly handlers = new Map<string, Promise<Handler>>();
  private readonly functions: Map<
    string,
    { plan: FunctionPlan; env: Record<string, string> }
  >;

  constructor(
    private readonly plan: PreviewPlan,
    envs: ReadonlyMap<string, Record<string, string>>,
    private readonly importModule: ImportModule,
  ) {
    this.functions = new Map(
      plan.functions.map(f => [f.name, { plan: f, env: envs.get(f.name)! }]),
    );
  }

  private load(fn: FunctionPlan): Promise<Handler> {
    let handler = this.handlers.get(fn.name);
    if (!handler) {
      handler = (async () => {
        let exports: Record<string, unknown>;
        if (fn.file.endsWith('.mjs')) {
          exports = await this.importModule(`file://${fn.file}`);
        } else {
          try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            exports = require(fn.file);
          } catch (e) {
            if ((e as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw e;
            exports = await this.importModule(`file://${fn.file}`);
          }
        }
        const value =
          exports[fn.exportName] ??
          (exports.default as Record<string, unknown> | undefined)?.[
            fn.exportName
          ];
        if (typeof value !== 'function') {
          const error = new Error(`${fn.handler} is undefined or not exported`);
          error.name = 'Runtime.HandlerNotFound';
          throw error;
        }
        return value as Handler;
      })();
      // A module that failed to load is tried again on the next call, as a new Lambda environment would.
      handler.catch(() => this.handlers.delete(fn.name));
      this.handlers.set(fn.name, handler);
    }
    return handler;
  }

  invoke(name: string, event: unknown): Promise<InvokeResult> {
    const fn = this.functions.get(name);
    if (!fn) {
      return Promise.resolve({
        ok: false,
        error: {
          name: 'ResourceNotFoundException',
          message: `Function not found: ${name}`,
        },
        durationMs: 0,
      });
    }
    const started = performance.now();
    const timeoutMs = fn.plan.timeoutSeconds * 1000;
    const context = {
      functionName: fn.plan.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.plan.region}:${this.plan.accountId}:function:${fn.plan.name}`,
      memoryLimitInMB: String(fn.plan.memorySize),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.plan.name}`,
      logStreamName: `preview/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () =>
        Math.max(0, Math.round(timeoutMs - (performance.now() - started))),
    };
    return currentFunction.run(
      { name: fn.plan.name, env: fn.env },
      async (): Promise<InvokeResult> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const call = this.load(fn.plan).then(
            handler =>
              new Promise<unknown>((resolve, reject) => {
                const returned = handler(event, context, (error, value) =>
                  error ? reject(error) : resolve(value),
                );
                if (
                  handler.length < 3 ||
                  (returned &&
                    typeof (returned as Promise<unknown>).then === 'function')
                ) {
                  Promise.resolve(returned).then(resolve, reject);
                }
              }),
          );
          const timedOut = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const error = new Error(
                `Task timed out after ${fn.plan.timeoutSeconds.toFixed(
                  2,
                )} seconds`,
              );
              error.name = 'Sandbox.Timedout';
              delete error.stack;
              reject(error);
            }, timeoutMs);
          });
          const value = await Promise.race([call, timedOut]);
          let json: string;
          try {
            json = JSON.stringify(value ?? null);
          } catch (e) {
            const error = new Error(
              `Unable to stringify the response: ${(e as Error).message}`,
            );
            error.name = 'Runtime.MarshalError';
            throw error;
          }
          if (Buffer.byteLength(json) > MAX_RESULT_BYTES) {
            const error = new Error(
              `Response payload size exceeded maximum allowed payload size (${MAX_RESULT_BYTES} bytes).`,
            );
            error.name = 'Function.ResponseSizeTooLarge';
            delete error.stack;
            throw error;
          }
          return {
            ok: true,
            result: JSON.parse(json),
            durationMs: performance.now() - started,
          };
        } catch (e) {
          const error = errorOf(e);
          // As Lambda logs it, with the error's own fields (a refusal's
          // permission and resource say what was attempted).
          console.error(
            `ERROR Invoke Error ${JSON.stringify({
              ...detailsOf(e),
              ...error,
            })}`,
          );
          return { ok: false, error, durationMs: performance.now() - started };
        } finally {
          clearTimeout(timer);
        }
      },
    );
  }
}
