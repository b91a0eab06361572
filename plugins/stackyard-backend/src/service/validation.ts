import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses `value` with `schema`, or throws an InputError naming every problem. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    const path = issue.path.join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
}

/** Query of `GET /environments`. */
export const listQuerySchema = z
  .object({
    entityRef: z.string().min(1).max(255).optional(),
    status: z
      .enum(['deploying', 'ready', 'failed', 'deleting', 'deleted'])
      .optional(),
    target: z.string().min(1).max(63).optional(),
    stage: z.string().min(1).max(32).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict();

/**
 * Ids in paths are UUIDs, matched case-insensitively: stored ids are lower
 * case, so every path (REST, `@connections`, upgrades) is normalized here.
 */
export const idSchema = z
  .uuid({ message: 'must be a UUID' })
  .transform(id => id.toLowerCase());
