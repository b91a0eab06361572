import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the loopback AWS endpoint received it. */
export interface LoopbackRequest {
  readonly method: string;
  /** The path, without the query string (not URL-decoded). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The Host header, lower-case, without a port. */
  readonly host: string;
  readonly body: Buffer;
  /** The access key the request was signed with, if signed. */
  readonly accessKeyId?: string;
}

/** A service's answer. */
export interface LoopbackResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Set when the endpoint does not implement what was asked. */
  readonly unimplemented?: boolean;
}

/**
 * One AWS service behind the endpoint: a handler module per service, found
 * by its SigV4 signing name.
 */
export interface LoopbackService {
  /** The SigV4 signing name, e.g. `cloudformation`, `monitoring`, `s3`. */
  readonly signingName: string;
  /** The API action a request calls, e.g. `DescribeStacks`. */
  actionOf(request: LoopbackRequest): string;
  /** An error answer in the service's protocol (used for throttling too). */
  error(
    action: string,
    code: string,
    message: string,
    status?: number,
  ): LoopbackResponse;
  handle(
    request: LoopbackRequest,
    action: string,
  ): LoopbackResponse | Promise<LoopbackResponse>;
}

/** Escapes text for an XML element. */
export function xml(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `<name>value</name>`, or nothing when the value is undefined. */
export function el(
  name: string,
  value: string | number | boolean | undefined,
): string {
  return value === undefined ? '' : `<${name}>${xml(value)}</${name}>`;
}

/** A query-protocol list: `<name><member>…</member>…</name>`. */
export function members(name: string, items: readonly string[]): string {
  return `<${name}>${items
    .map(i => `<member>${i}</member>`)
    .join('')}</${name}>`;
}

let requestCounter = 0;
/** A request ID, unique within the process. */
export function requestId(): string {
  requestCounter += 1;
  return `loopback-${requestCounter.toString(16).padStart(8, '0')}`;
}

/** The form parameters of a query-protocol request (CloudFormation, STS). */
export function formOf(request: LoopbackRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

/** The action of a JSON-protocol request, from `X-Amz-Target: Prefix.Action`. */
export function targetAction(request: LoopbackRequest): string {
  const target = request.headers['x-amz-target'];
  return typeof target === 'string' ? target.split('.').pop() ?? '' : '';
}

/** The body of a JSON-protocol request. */
export function jsonOf(request: LoopbackRequest): Record<string, any> {
  return JSON.parse(request.body.toString('utf8') || '{}');
}

/** A successful query-protocol response. */
export function queryOk(
  namespace: string,
  action: string,
  result: string,
): LoopbackResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** A query-protocol error response. */
export function queryError(
  namespace: string,
  code: string,
  message: string,
  status = 400,
): LoopbackResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${xml(
      code,
    )}</Code><Message>${xml(
      message,
    )}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  };
}

/**
 * A JSON-protocol response (`1.0` for CloudWatch and DynamoDB, `1.1` for
 * SSM and Cost Explorer). Errors carry `__type`; for services that were
 * query-protocol services before (CloudWatch), AWS also sends the query
 * error code in `x-amzn-query-error`, which the SDK reads.
 */
export function jsonResponse(
  version: '1.0' | '1.1',
  status: number,
  payload: unknown,
  options: { queryCompatible?: boolean } = {},
): LoopbackResponse {
  const errorType =
    status >= 400 ? (payload as { __type?: string }).__type : undefined;
  return {
    status,
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      ...(errorType && options.queryCompatible
        ? { 'x-amzn-query-error': `${errorType};Sender` }
        : {}),
    },
    body: JSON.stringify(payload),
  };
}

/** Marks an answer as "not implemented", so the endpoint lists the call. */
export function unimplemented(response: LoopbackResponse): LoopbackResponse {
  return { ...response, unimplemented: true };
}

/**
 * Reads a query-protocol list of structures, e.g. `Parameters.member.N.*`,
 * into objects keyed by the field names after the index.
 */
export function queryList(
  params: URLSearchParams,
  prefix: string,
): Record<string, string>[] {
  const items = new Map<number, Record<string, string>>();
  const pattern = new RegExp(
    `^${prefix.replace(/\./g, '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`,
  );
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const item = items.get(index) ?? {};
    item[match[2] ?? ''] = value;
    items.set(index, item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}

/**
 * The signing name and access key of a SigV4-signed request, from its
 * credential scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`).
 */
export function signatureOf(headers: IncomingHttpHeaders): {
  service?: string;
  accessKeyId?: string;
} {
  const auth = headers.authorization;
  const match =
    typeof auth === 'string'
      ? /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)
      : null;
  return match ? { accessKeyId: match[1], service: match[2] } : {};
}

/** One page of `items` from a numeric `NextToken` offset. */
export function page<T>(
  items: readonly T[],
  token: string | null | undefined,
  size: number,
): { items: T[]; nextToken?: string } {
  const offset = Number(token ?? '0') || 0;
  const next = offset + size;
  return {
    items: items.slice(offset, next),
    nextToken: next < items.length ? String(next) : undefined,
  };
}
