import { StackyardNameError, quoteValue } from './errors';

/** CloudFormation's stack name pattern. */
const STACK_NAME_PATTERN = /^[A-Za-z][-A-Za-z0-9]*$/;

/**
 * The longest stack name CloudFormation accepts.
 *
 * @public
 */
export const MAX_STACK_NAME_LENGTH = 128;

/**
 * The longest prefix Stackyard accepts; leaves room for `-<stage>` and for
 * resource names derived from the stack name.
 *
 * @public
 */
export const MAX_PREFIX_LENGTH = 64;

/**
 * The longest stage name Stackyard accepts.
 *
 * @public
 */
export const MAX_STAGE_LENGTH = 32;

const PREFIX_PATTERN = /^[A-Za-z][-A-Za-z0-9]*$/;
const STAGE_PATTERN = /^[A-Za-z][A-Za-z0-9]*$/;

function checkName(
  what: string,
  value: unknown,
  pattern: RegExp,
  max: number,
  allowed: string,
): string[] {
  if (typeof value !== 'string') {
    return [`${what} must be a string, got ${quoteValue(value)}`];
  }
  const problems: string[] = [];
  if (value.length === 0) {
    problems.push(`${what} must not be empty`);
    return problems;
  }
  if (value.length > max) {
    problems.push(
      `${what} ${quoteValue(value)} is too long: ${value.length} characters, at most ${max} allowed`,
    );
  }
  if (!pattern.test(value)) {
    problems.push(`${what} ${quoteValue(value)} is not allowed: ${allowed}`);
  }
  return problems;
}

/**
 * Returns every way `name` breaks CloudFormation's stack name rules
 * (`[A-Za-z][-A-Za-z0-9]*`, at most 128 characters); empty when valid.
 *
 * @public
 */
export function validateStackName(name: unknown): string[] {
  return checkName(
    'stack name',
    name,
    STACK_NAME_PATTERN,
    MAX_STACK_NAME_LENGTH,
    'it must start with a letter and contain only letters, digits and hyphens',
  );
}

/**
 * Returns every way `prefix` breaks the prefix rules (a letter, then letters,
 * digits and hyphens, at most 64 characters); empty when valid.
 *
 * @public
 */
export function validatePrefix(prefix: unknown): string[] {
  return checkName(
    'prefix',
    prefix,
    PREFIX_PATTERN,
    MAX_PREFIX_LENGTH,
    'it must start with a letter and contain only letters, digits and hyphens',
  );
}

/**
 * Returns every way `stage` breaks the stage rules (a letter, then letters
 * and digits, at most 32 characters); empty when valid.
 *
 * @public
 */
export function validateStage(stage: unknown): string[] {
  return checkName(
    'stage',
    stage,
    STAGE_PATTERN,
    MAX_STAGE_LENGTH,
    'it must start with a letter and contain only letters and digits',
  );
}

/**
 * Throws a {@link StackyardNameError} quoting `name` unless it is a valid
 * CloudFormation stack name.
 *
 * @public
 */
export function assertValidStackName(name: unknown): asserts name is string {
  const problems = validateStackName(name);
  if (problems.length > 0) {
    throw new StackyardNameError(problems);
  }
}

/**
 * The stack name of an environment: `<prefix>-<stage>`. Throws a
 * {@link StackyardNameError} listing every problem with the prefix, the stage
 * and the resulting name.
 *
 * @public
 */
export function stackNameFor(prefix: string, stage: string): string {
  const problems = [...validatePrefix(prefix), ...validateStage(stage)];
  if (problems.length > 0) {
    throw new StackyardNameError(problems);
  }
  const name = `${prefix}-${stage}`;
  assertValidStackName(name);
  return name;
}
