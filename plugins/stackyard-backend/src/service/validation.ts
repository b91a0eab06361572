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

// The API's query and path id schemas live with its routes in stackyard-common.
export {
  idSchema,
  listEnvironmentsQuerySchema as listQuerySchema,
} from '@stackyard/plugin-stackyard-common';
