/**
 * Schemas of running local previews: invoking one of the service's
 * functions, and what a preview shows (state, recent log lines per
 * function, queue depths and table item counts).
 */
import { z } from 'zod';

/** A function name of the service manifest. */
export const functionNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
    message: 'must be a function name of the service manifest',
  })
  .meta({ example: 'intake' });

const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Validates the body of `POST /environments/{id}/invoke`. */
export const invokeFunctionRequestSchema = z
  .object({
    function: functionNameSchema,
    payload: z
      .unknown()
      .refine(
        value => {
          try {
            const text = JSON.stringify(value ?? null);
            return new TextEncoder().encode(text).length <= MAX_PAYLOAD_BYTES;
          } catch {
            return false;
          }
        },
        { message: 'payload must be JSON of at most 256 KiB' },
      )
      .meta({
        description:
          'The event the function is invoked with (any JSON value, at most 256 KiB, as Lambda allows).',
      })
      .optional(),
  })
  .strict()
  .meta({ id: 'InvokeFunctionRequest' });

/** What `POST /environments/{id}/invoke` answers. */
export const invokeFunctionResponseSchema = z
  .object({
    function: functionNameSchema,
    ok: z
      .boolean()
      .meta({ description: 'False when the handler threw (see `error`).' }),
    result: z
      .unknown()
      .meta({ description: "The handler's result, when `ok`." })
      .optional(),
    error: z
      .object({
        name: z.string(),
        message: z.string(),
        stack: z.string().optional(),
      })
      .meta({ description: 'What the handler threw, when not `ok`.' })
      .optional(),
    durationMs: z.number().nonnegative(),
  })
  .meta({
    id: 'InvokeFunctionResponse',
    description: 'The outcome of one invocation in the local preview.',
  });

export const previewStateSchema = z
  .enum(['sleeping', 'starting', 'running', 'restarting', 'failed'])
  .meta({
    description:
      '`sleeping`: no runner (never started, idle, or the backend restarted; the next connection or invoke starts it); `starting`; `running`; `restarting`: the runner died and is restarted after a backoff; `failed`: it could not start (`reason`).',
  });

export const logLineSchema = z
  .object({
    fn: z.string(),
    stream: z.enum(['stdout', 'stderr']),
    text: z.string(),
    at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PreviewLogLine' });

/** What `GET /environments/{id}/logs` answers. */
export const previewLogsResponseSchema = z
  .object({
    state: previewStateSchema,
    reason: z
      .string()
      .meta({ description: 'Why the preview failed or was restarted.' })
      .optional(),
    functions: z
      .array(
        z.object({
          name: z.string(),
          lines: z.array(logLineSchema),
        }),
      )
      .meta({
        description:
          "The last lines of each function's console output, oldest first.",
      }),
    lastExit: z
      .object({
        at: z.iso.datetime({ offset: true }),
        code: z.number().int().nullable(),
        signal: z.string().nullable(),
        lastLogLines: z.array(z.string()),
      })
      .meta({
        description: 'The last time the runner died, with its last log lines.',
      })
      .optional(),
    queues: z
      .array(
        z.object({
          name: z.string(),
          visible: z.number().int().nonnegative(),
          inFlight: z.number().int().nonnegative(),
          dlq: z
            .string()
            .meta({
              description:
                'The dead-letter queue that messages failing on this queue go to.',
            })
            .optional(),
          dlqOfFunctions: z
            .array(z.string())
            .meta({
              description:
                "Functions whose failed asynchronous invocations this queue receives (the function's dead-letter queue).",
            })
            .optional(),
        }),
      )
      .meta({ description: 'Queue depths, while running.' }),
    tables: z
      .array(
        z.object({
          name: z.string(),
          items: z.number().int().nonnegative(),
        }),
      )
      .meta({ description: 'Table item counts, while running.' }),
  })
  .meta({
    id: 'PreviewLogs',
    description:
      'A local preview as it runs: its state, recent log lines per function, queue depths and table item counts.',
  });

/** `POST /environments/{id}/invoke` */
export type InvokeFunctionRequest = z.input<typeof invokeFunctionRequestSchema>;
/** `POST /environments/{id}/invoke` (200) */
export type InvokeFunctionResponse = z.infer<
  typeof invokeFunctionResponseSchema
>;
export type PreviewState = z.infer<typeof previewStateSchema>;
export type PreviewLogLine = z.infer<typeof logLineSchema>;
/** `GET /environments/{id}/logs` */
export type PreviewLogs = z.infer<typeof previewLogsResponseSchema>;
