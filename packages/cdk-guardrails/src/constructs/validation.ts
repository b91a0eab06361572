import type { IConstruct } from 'constructs';

/** One row of a props validation table. */
export interface PropRule {
  /** The prop's name as the user wrote it. */
  readonly prop: string;
  /** The value given. */
  readonly value: unknown;
  /** Whether the value is acceptable. */
  readonly ok: boolean;
  /** What is allowed, e.g. `an integer from 128 to 10240`. */
  readonly allowed: string;
}

function render(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (value && typeof value === 'object' && 'toHumanString' in value) {
    return String((value as { toHumanString(): string }).toHumanString());
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * Checks a table of prop rules and throws one error listing every failing
 * row, quoting the bad value, prefixed with the construct path.
 */
export function validateProps(
  scope: IConstruct,
  kind: string,
  rules: readonly PropRule[],
): void {
  const problems = rules
    .filter(r => !r.ok)
    .map(r => `${r.prop} ${render(r.value)} is not allowed: ${r.allowed}`);
  if (problems.length > 0) {
    throw new Error(
      `[${scope.node.path}] invalid ${kind} props: ${problems.join('; ')}`,
    );
  }
}

/** True for an integer from `min` to `max`. */
export function isIntegerBetween(
  value: unknown,
  min: number,
  max: number,
): boolean {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  );
}
