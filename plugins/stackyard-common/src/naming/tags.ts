import { StackyardNameError, quoteValue } from './errors';

/**
 * The most tags AWS accepts on one resource.
 *
 * @public
 */
export const MAX_TAGS = 50;

/**
 * The longest tag key AWS accepts.
 *
 * @public
 */
export const MAX_TAG_KEY_LENGTH = 128;

/**
 * The longest tag value AWS accepts.
 *
 * @public
 */
export const MAX_TAG_VALUE_LENGTH = 256;

/** Characters AWS allows in tag keys and values. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Returns every way `tags` break AWS's tag rules (key 1–128 characters,
 * value up to 256, no `aws:` prefix, at most 50 tags, letters, digits,
 * spaces and `_ . : / = + - @` only); empty when valid.
 *
 * @public
 */
export function validateTags(tags: Record<string, string>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    problems.push(
      `${entries.length} tags given, at most ${MAX_TAGS} allowed per resource`,
    );
  }
  for (const [key, value] of entries) {
    if (key.length === 0) {
      problems.push('tag key must not be empty');
    } else if (key.length > MAX_TAG_KEY_LENGTH) {
      problems.push(
        `tag key ${quoteValue(key)} is too long: ${
          key.length
        } characters, at most ${MAX_TAG_KEY_LENGTH} allowed`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      problems.push(
        `tag key ${quoteValue(key)} is not allowed: the "aws:" prefix is reserved for AWS`,
      );
    }
    if (!TAG_CHARS.test(key)) {
      problems.push(
        `tag key ${quoteValue(
          key,
        )} is not allowed: only letters, digits, spaces and _ . : / = + - @`,
      );
    }
    if (typeof value !== 'string') {
      problems.push(
        `tag ${quoteValue(key)} has value ${quoteValue(
          value,
        )}: it must be a string`,
      );
      continue;
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      problems.push(
        `tag ${quoteValue(key)} value ${quoteValue(value)} is too long: ${
          value.length
        } characters, at most ${MAX_TAG_VALUE_LENGTH} allowed`,
      );
    }
    if (!TAG_CHARS.test(value)) {
      problems.push(
        `tag ${quoteValue(key)} value ${quoteValue(
          value,
        )} is not allowed: only letters, digits, spaces and _ . : / = + - @`,
      );
    }
  }
  return problems;
}

/**
 * Throws a {@link StackyardNameError} listing every problem unless `tags`
 * follow AWS's tag rules.
 *
 * @public
 */
export function assertValidTags(tags: Record<string, string>): void {
  const problems = validateTags(tags);
  if (problems.length > 0) {
    throw new StackyardNameError(problems);
  }
}

/**
 * The tags Stackyard writes on a service's stack (ServiceStack) and reads
 * back when it discovers stacks deployed outside the portal.
 *
 * @public
 */
export const STACKYARD_TAG_KEYS = {
  entityRef: 'stackyard:entity-ref',
  template: 'stackyard:template',
  prefix: 'stackyard:prefix',
  stage: 'stackyard:stage',
  branch: 'stackyard:branch',
  commit: 'stackyard:commit',
  /** Hours an ephemeral stage lives; `default` for the portal's default. */
  ttlHours: 'stackyard:ttl-hours',
} as const;

/**
 * The value of the `stackyard:ttl-hours` tag of an ephemeral stage that
 * leaves its lifetime to the portal's `stackyard.previews.defaultTtlHours`.
 *
 * @public
 */
export const DEFAULT_TTL_TAG_VALUE = 'default';
