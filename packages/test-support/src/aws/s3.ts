import { createHash } from 'node:crypto';
import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  el,
  unimplemented,
  xml,
} from './protocol';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An object held by {@link LoopbackS3}. */
export interface LoopbackObject {
  readonly body: Buffer;
  readonly contentType?: string;
  readonly etag: string;
}

const ok = (body: string): LoopbackResponse => ({
  status: 200,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>${body}`,
});

/**
 * Decodes an `aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n`
 * … `0\r\n<trailers>\r\n\r\n`), which the SDK sends for streamed uploads
 * with checksums.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked body ends mid-chunk header');
    const size = parseInt(
      body.subarray(offset, lineEnd).toString('ascii').split(';')[0],
      16,
    );
    if (Number.isNaN(size))
      throw new Error('aws-chunked chunk size is not hex');
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function decodeKey(raw: string): string | undefined {
  return raw ? raw.split('/').map(decodeURIComponent).join('/') : undefined;
}

/** Bucket and key of a path-style (`/<bucket>/<key>`) or virtual-hosted request. */
function locate(host: string, path: string): { bucket?: string; key?: string } {
  const segments = path.replace(/^\//, '');
  const virtual = /^(.+)\.s3[.-]/.exec(host);
  if (virtual) return { bucket: virtual[1], key: decodeKey(segments) };
  const slash = segments.indexOf('/');
  if (slash < 0) return { bucket: segments || undefined };
  return {
    bucket: segments.slice(0, slash),
    key: decodeKey(segments.slice(slash + 1)),
  };
}

/** The query without the SDK's `x-id` (the operation name S3 ignores). */
function queryOf(request: LoopbackRequest): URLSearchParams {
  const q = new URLSearchParams(request.query);
  q.delete('x-id');
  return q;
}

/**
 * S3 over REST-XML, path-style or virtual-hosted
 * (`<bucket>.s3.<region>.amazonaws.com/<key>`): bucket location, encryption
 * and existence, ListObjectsV2, PutObject, GetObject and HeadObject. Buckets
 * must be created first (as `cdk bootstrap` would).
 */
export class LoopbackS3 implements LoopbackService {
  readonly signingName = 's3';
  readonly buckets = new Map<string, Map<string, LoopbackObject>>();

  constructor(private readonly region: string) {}

  createBucket(name: string) {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  /** An object's body, or undefined. */
  getObject(bucket: string, key: string): Buffer | undefined {
    return this.buckets.get(bucket)?.get(key)?.body;
  }

  /** Reads an `https://` S3 object URL, path-style or virtual-hosted. */
  readUrl(url: string): Buffer | undefined {
    const u = new URL(url);
    const { bucket, key } = locate(u.hostname, u.pathname);
    return bucket && key ? this.getObject(bucket, key) : undefined;
  }

  actionOf(request: LoopbackRequest): string {
    const { key } = locate(request.host, request.path);
    const q = queryOf(request);
    const { method } = request;
    if (!key) {
      if (method === 'GET' && q.has('location')) return 'GetBucketLocation';
      if (method === 'GET' && q.has('encryption')) return 'GetBucketEncryption';
      if (method === 'GET' && q.get('list-type') === '2')
        return 'ListObjectsV2';
      if (method === 'HEAD') return 'HeadBucket';
      return `${method} bucket?${q}`;
    }
    if (method === 'PUT' && !q.toString()) return 'PutObject';
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    return `${method} object?${q}`;
  }

  error(_action: string, code: string, message: string, status = 400) {
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error>${el(
        'Code',
        code,
      )}${el('Message', message)}</Error>`,
    };
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    const { bucket, key } = locate(request.host, request.path);
    const objects = bucket ? this.buckets.get(bucket) : undefined;
    if (!objects && !/ bucket\?| object\?/.test(action)) {
      if (action === 'HeadBucket' || action === 'HeadObject') {
        return { status: 404 };
      }
      return this.error(
        action,
        'NoSuchBucket',
        `The specified bucket does not exist: ${bucket ?? '(none)'}`,
        404,
      );
    }
    switch (action) {
      case 'GetBucketLocation':
        return ok(
          `<LocationConstraint xmlns="${NS}">${xml(
            this.region,
          )}</LocationConstraint>`,
        );
      case 'GetBucketEncryption':
        return ok(
          `<ServerSideEncryptionConfiguration xmlns="${NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
        );
      case 'ListObjectsV2': {
        const q = queryOf(request);
        const prefix = q.get('prefix') ?? '';
        const max = Number(q.get('max-keys') ?? '1000');
        const keys = [...objects!.keys()]
          .filter(k => k.startsWith(prefix))
          .sort()
          .slice(0, max);
        return ok(
          `<ListBucketResult xmlns="${NS}">${el('Name', bucket)}${el(
            'Prefix',
            prefix,
          )}${el('KeyCount', keys.length)}${el('MaxKeys', max)}${el(
            'IsTruncated',
            false,
          )}${keys
            .map(
              k =>
                `<Contents>${el('Key', k)}${el(
                  'Size',
                  objects!.get(k)!.body.length,
                )}${el('ETag', objects!.get(k)!.etag)}</Contents>`,
            )
            .join('')}</ListBucketResult>`,
        );
      }
      case 'HeadBucket':
        return { status: 200 };
      case 'PutObject': {
        const chunked = /aws-chunked/.test(
          String(request.headers['content-encoding'] ?? ''),
        );
        const body = chunked ? decodeAwsChunked(request.body) : request.body;
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        const contentType = request.headers['content-type'];
        objects!.set(key!, { body, etag, contentType });
        return { status: 200, headers: { etag } };
      }
      case 'GetObject':
      case 'HeadObject': {
        const object = objects!.get(key!);
        if (!object) {
          if (action === 'HeadObject') return { status: 404 };
          return this.error(action, 'NoSuchKey', `No such key: ${key}`, 404);
        }
        return {
          status: 200,
          headers: {
            etag: object.etag,
            'content-length': String(object.body.length),
            'content-type': object.contentType ?? 'application/octet-stream',
          },
          body: action === 'GetObject' ? object.body : undefined,
        };
      }
      default:
        return unimplemented(
          this.error(
            action,
            'NotImplemented',
            `The loopback S3 does not implement ${action}`,
          ),
        );
    }
  }
}
