import { IntegrationError, ProxyResult } from './types';

/**
 * Checks a value returned by an integration against the Lambda proxy result
 * shape. `undefined` and `null` stand for "returned nothing".
 * @throws IntegrationError describing what is malformed.
 */
export function toProxyResult(value: unknown): ProxyResult | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new IntegrationError(
      `Malformed Lambda proxy response: expected an object, got ${typeof value}`,
    );
  }
  const result = value as Record<string, unknown>;
  const { statusCode, body, headers, isBase64Encoded } = result;
  if (
    statusCode !== undefined &&
    (!Number.isInteger(statusCode) ||
      (statusCode as number) < 100 ||
      (statusCode as number) > 599)
  ) {
    throw new IntegrationError(
      `Malformed Lambda proxy response: statusCode ${JSON.stringify(
        statusCode,
      )} is not an HTTP status`,
    );
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new IntegrationError(
      `Malformed Lambda proxy response: body must be a string, got ${typeof body}`,
    );
  }
  if (
    headers !== undefined &&
    headers !== null &&
    (typeof headers !== 'object' || Array.isArray(headers))
  ) {
    throw new IntegrationError(
      'Malformed Lambda proxy response: headers must be an object',
    );
  }
  return {
    statusCode: statusCode as number | undefined,
    headers: (headers ?? undefined) as Record<string, string> | undefined,
    multiValueHeaders: result.multiValueHeaders as
      | Record<string, string[]>
      | undefined,
    body: (body ?? undefined) as string | undefined,
    isBase64Encoded: isBase64Encoded === true,
  };
}

/** A header of a proxy result, looked up case-insensitively. */
export function proxyHeader(
  result: ProxyResult | undefined,
  name: string,
): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(result?.headers ?? {})) {
    if (key.toLowerCase() === lower && typeof value === 'string') {
      return value;
    }
  }
  for (const [key, values] of Object.entries(result?.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === lower && Array.isArray(values) && values.length) {
      return String(values[0]);
    }
  }
  return undefined;
}

/** True when the result lets a `$connect` through (no status counts as 200). */
export function isSuccess(result: ProxyResult | undefined): boolean {
  const status = result?.statusCode ?? 200;
  return status >= 200 && status < 300;
}
