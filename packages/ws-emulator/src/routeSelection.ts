/**
 * Compiles an API Gateway route selection expression into a function that
 * picks a route key from a parsed JSON message body.
 *
 * Supported forms (the ones API Gateway accepts for WebSocket APIs):
 * - `$request.body.<path>` — a property, `<path>` may be nested (`a.b.c`);
 * - composite templates such as `${request.body.service}/${request.body.action}`
 *   where every `${request.body.<path>}` is replaced by its value and the
 *   rest is taken literally.
 *
 * A selected value must be a string, number or boolean; anything else (or a
 * missing property) selects nothing, which sends the message to `$default`.
 *
 * @public
 */
export type RouteKeySelector = (body: unknown) => string | undefined;

const SEGMENT = /^[^.\s${}]+$/;
const SIMPLE = /^\$request\.body\.(.+)$/;
const PLACEHOLDER = /\$\{request\.body\.([^}]*)\}/g;

function parsePath(path: string, expression: string): string[] {
  const segments = path.split('.');
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new TypeError(
        `Invalid route selection expression ${JSON.stringify(
          expression,
        )}: bad property path ${JSON.stringify(path)}`,
      );
    }
  }
  return segments;
}

function valueAt(body: unknown, path: readonly string[]): string | undefined {
  let current = body;
  for (const segment of path) {
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current) ||
      !Object.prototype.hasOwnProperty.call(current, segment)
    ) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  switch (typeof current) {
    case 'string':
      return current;
    case 'number':
    case 'boolean':
      return String(current);
    default:
      return undefined;
  }
}

/**
 * @throws TypeError quoting the expression when it is not supported.
 * @public
 */
export function compileRouteSelectionExpression(
  expression: string,
): RouteKeySelector {
  if (typeof expression !== 'string' || expression.length === 0) {
    throw new TypeError(
      `Invalid route selection expression ${JSON.stringify(
        expression,
      )}: expected a non-empty string`,
    );
  }
  const simple = SIMPLE.exec(expression);
  if (simple && !expression.includes('${')) {
    const path = parsePath(simple[1], expression);
    return body => valueAt(body, path);
  }

  const literals: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const match of expression.matchAll(PLACEHOLDER)) {
    literals.push(expression.slice(last, match.index));
    paths.push(parsePath(match[1], expression));
    last = match.index! + match[0].length;
  }
  const tail = expression.slice(last);
  if (paths.length === 0 || /\$\{|\$request/.test(literals.join('') + tail)) {
    throw new TypeError(
      `Invalid route selection expression ${JSON.stringify(
        expression,
      )}: use $request.body.<path> or \${request.body.<path>} placeholders`,
    );
  }
  return body => {
    let key = '';
    for (let i = 0; i < paths.length; i++) {
      const value = valueAt(body, paths[i]);
      if (value === undefined) {
        return undefined;
      }
      key += literals[i] + value;
    }
    return key + tail;
  };
}
