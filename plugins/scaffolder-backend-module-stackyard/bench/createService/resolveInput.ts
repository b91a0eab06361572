/**
 * A small stand-in for the scaffolder's nunjucks templating of step inputs
 * (not measured).
 */
import type { JsonLike } from './template';

/**
 * Resolves `${{ parameters.x }}` and `${{ steps.<id>.output.<key> }}`
 * (or `steps['<id>']…`) in a
 * step input, the only expressions the template's step inputs use.
 */
export function resolveInput(
  value: JsonLike,
  parameters: Record<string, unknown>,
  stepOutputs: Record<string, Record<string, unknown>>,
): JsonLike {
  if (typeof value === 'string') {
    const lookup = (expr: string): unknown => {
      const parameter = /^parameters\.(\w+)$/.exec(expr.trim());
      if (parameter) return parameters[parameter[1]];
      // steps.<id>.output.<key> or steps['<id>'].output.<key>
      const stepOutput =
        /^steps(?:\.([\w]+)|\['([\w-]+)'\])\.output\.(\w+)$/.exec(expr.trim());
      if (stepOutput) {
        const [, id, quotedId, key] = stepOutput;
        return stepOutputs[id ?? quotedId]?.[key];
      }
      throw new Error(`unsupported expression \${{ ${expr} }}`);
    };
    const whole = /^\$\{\{([^}]*)\}\}$/.exec(value);
    if (whole) return lookup(whole[1]);
    return value.replace(/\$\{\{([^}]*)\}\}/g, (_, expr: string) =>
      String(lookup(expr)),
    );
  }
  if (Array.isArray(value)) {
    return value.map(v => resolveInput(v, parameters, stepOutputs));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveInput(v, parameters, stepOutputs),
      ]),
    );
  }
  return value;
}
