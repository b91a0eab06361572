import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the fake AWS endpoint received it. */
export interface FakeRequest {
  readonly method: string;
  /** The path, without the query string, URL-decoded per segment by the service. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The Host header, lower-case, without a port. */
  readonly host: string;
  readonly body: Buffer;
  /** The access key the request was signed with, if signed. */
  readonly accessKeyId?: string;
}

/** A fake service's answer. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** What a fake service made of a request: the API action and the answer. */
export interface Handled {
  readonly action: string;
  readonly response: FakeResponse;
}

/** A fake AWS service behind the endpoint. */
export interface FakeService {
  handle(request: FakeRequest): Handled | Promise<Handled>;
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
function requestId(): string {
  requestCounter += 1;
  return `fake-${requestCounter.toString(16).padStart(8, '0')}`;
}

/** A successful query-protocol (CloudFormation, STS) response. */
export function queryOk(
  namespace: string,
  action: string,
  result: string,
): Handled {
  return {
    action,
    response: {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
    },
  };
}

/** A query-protocol error response. */
export function queryError(
  namespace: string,
  action: string,
  code: string,
  message: string,
  status = 400,
): Handled {
  return {
    action,
    response: {
      status,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${xml(
        code,
      )}</Code><Message>${xml(
        message,
      )}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
    },
  };
}

/** A JSON 1.1 protocol (SSM) response. */
export function jsonResponse(
  action: string,
  status: number,
  payload: unknown,
): Handled {
  const errorType =
    status >= 400 ? (payload as { __type?: string }).__type : undefined;
  return {
    action,
    response: {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      },
      body: JSON.stringify(payload),
    },
  };
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
 * The service a request is for, from its SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`), the way
 * AWS-compatible endpoints that serve many services on one port route.
 */
export function signedService(headers: IncomingHttpHeaders): {
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
