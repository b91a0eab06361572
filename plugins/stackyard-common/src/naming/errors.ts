/**
 * Thrown when a prefix, stage, stack name or tag breaks Stackyard's naming
 * rules. Its `name` is `InputError` so that Backstage's error middleware
 * answers such failures with HTTP 400.
 *
 * @public
 */
export class StackyardNameError extends Error {
  /** Every problem found, each quoting the bad value. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('; '));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/**
 * Renders a user-supplied value for an error message: strings JSON-quoted so
 * that control characters and invisible unicode show up, and cut short when
 * long; other values as JSON.
 *
 * @public
 */
export function quoteValue(value: unknown, max = 80): string {
  if (typeof value !== 'string') {
    return String(JSON.stringify(value) ?? value);
  }
  const text = value;
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  const quoted = JSON.stringify(cut);
  return text.length > max ? `${quoted} (${text.length} characters)` : quoted;
}
