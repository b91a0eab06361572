import { z } from 'zod';
import type { InvokeResult, PreviewQueue, PreviewTable } from './types';

/**
 * What the backend accepts from a runner: the runner runs repository code,
 * so its answers are checked like any other untrusted input.
 */
const short = z.string().max(1024);
const count = z.number().int().min(0);

const invokeResult = z.union([
  z.object({
    ok: z.literal(true),
    result: z.unknown(),
    durationMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      name: short,
      message: z.string().max(65_536),
      stack: z.string().max(65_536).optional(),
    }),
    durationMs: z.number(),
  }),
]);
const queues = z
  .array(
    z.object({
      name: short,
      visible: count,
      inFlight: count,
      dlq: short.optional(),
      dlqOfFunctions: z.array(short).max(1000).optional(),
    }),
  )
  .max(1000);
const tables = z.array(z.object({ name: short, items: count })).max(1000);

function parse<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export const parseInvokeResult = (value: unknown): InvokeResult | undefined =>
  parse(invokeResult, value) as InvokeResult | undefined;
export const parseQueues = (value: unknown): PreviewQueue[] | undefined =>
  parse(queues, value);
export const parseTables = (value: unknown): PreviewTable[] | undefined =>
  parse(tables, value);
