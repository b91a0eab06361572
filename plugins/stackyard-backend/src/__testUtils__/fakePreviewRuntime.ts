import type {
  InvokeResult,
  RunningPreview,
  StartPreview,
  StartPreviewOptions,
} from '../previews/runtime';

/** A handler of the fake runtime: what the function does with an event. */
export type FakeHandler = (
  event: any,
  options: StartPreviewOptions,
) => Promise<unknown> | unknown;

/**
 * A stand-in for `@stackyard/preview-runtime` in unit tests: runs the given
 * handlers in this process (a thrown error is a failed invocation, as the
 * runner reports it), records every start and stop.
 */
export function fakePreviewRuntime(handlers: Record<string, FakeHandler>) {
  const starts: StartPreviewOptions[] = [];
  const stopped: number[] = [];
  const start: StartPreview = async options => {
    starts.push(options);
    const pid = 4000 + starts.length;
    const running: RunningPreview = {
      functions: Object.keys(handlers),
      pid,
      async invoke(fn, event): Promise<InvokeResult> {
        const began = Date.now();
        try {
          const result = await handlers[fn](event, options);
          options.onLog?.({
            fn,
            stream: 'stdout',
            text: `${fn} handled ${JSON.stringify(event).slice(0, 80)}`,
            at: new Date().toISOString(),
          });
          return { ok: true, result, durationMs: Date.now() - began };
        } catch (e) {
          const error = e as Error;
          return {
            ok: false,
            error: {
              name: error.name,
              message: error.message,
              stack: error.stack,
            },
            durationMs: Date.now() - began,
          };
        }
      },
      // As the serverless template's preview lists them: a queue with the
      // dead-letter queue it redrives into, and a function's own.
      queues: async () => [
        { name: 'jobs', visible: 0, inFlight: 0, dlq: 'jobs-dlq' },
        { name: 'jobs-dlq', visible: 0, inFlight: 0 },
        {
          name: 'intake-dlq',
          visible: 0,
          inFlight: 0,
          dlqOfFunctions: ['intake'],
        },
      ],
      tables: async () => [{ name: 'connections', items: 0 }],
      async stop() {
        stopped.push(pid);
      },
    };
    return running;
  };
  return { start, starts, stopped };
}
