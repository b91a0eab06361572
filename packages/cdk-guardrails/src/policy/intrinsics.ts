/** True when `value` is a CloudFormation intrinsic (`{ "Ref": … }`, `{ "Fn::…": … }`). */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * The logical ID an intrinsic points at: `{ Ref: X }` and
 * `{ "Fn::GetAtt": [X, attr] }` give `X`; anything else gives undefined.
 */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) {
    return undefined;
  }
  const ref = value.Ref;
  if (typeof ref === 'string') {
    return ref;
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  if (typeof getAtt === 'string') {
    return getAtt.split('.')[0];
  }
  return undefined;
}

/** A value as a number, when it is a literal number or numeric string. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/** Renders a template value for a message. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

/** True for a literal `true`, or CloudFormation's string form `"true"`. */
export function literalTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
