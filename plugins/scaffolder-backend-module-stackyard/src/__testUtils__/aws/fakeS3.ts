import { createHash } from 'node:crypto';
import {
  FakeRequest,
  FakeResponse,
  FakeService,
  Handled,
  el,
  xml,
} from './protocol';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An object held by {@link FakeS3}. */
export interface FakeObject {
  readonly body: Buffer;
  readonly contentType?: string;
  readonly etag: string;
}

function error(
  action: string,
  status: number,
  code: string,
  message: string,
): Handled {
  return {
    action,
    response: {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error>${el(
        'Code',
        code,
      )}${el('Message', message)}</Error>`,
    },
  };
}

function ok(action: string, body: string): Handled {
  return {
    action,
    response: {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>${body}`,
    },
  };
}

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

/**
 * S3 over REST-XML, path-style (`/<bucket>/<key>`) or virtual-hosted
 * (`<bucket>.s3.<region>.amazonaws.com/<key>`): bucket location, encryption
 * and existence, ListObjectsV2, PutObject, GetObject and HeadObject. Buckets
 * must be created first (as `cdk bootstrap` would).
 */
export class FakeS3 implements FakeService {
  readonly buckets = new Map<string, Map<string, FakeObject>>();

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
    const { bucket, key } = this.locate(u.hostname, u.pathname);
    return bucket && key ? this.getObject(bucket, key) : undefined;
  }

  handle(request: FakeRequest): Handled {
    const { bucket, key } = this.locate(request.host, request.path);
    // The SDK names the operation in an `x-id` parameter; S3 ignores it.
    const q = new URLSearchParams(request.query);
    q.delete('x-id');
    const objects = bucket ? this.buckets.get(bucket) : undefined;
    const noBucket = (action: string) =>
      error(
        action,
        404,
        'NoSuchBucket',
        `The specified bucket does not exist: ${bucket ?? '(none)'}`,
      );

    if (!key) {
      if (request.method === 'GET' && q.has('location')) {
        if (!objects) return noBucket('GetBucketLocation');
        return ok(
          'GetBucketLocation',
          `<LocationConstraint xmlns="${NS}">${xml(
            this.region,
          )}</LocationConstraint>`,
        );
      }
      if (request.method === 'GET' && q.has('encryption')) {
        if (!objects) return noBucket('GetBucketEncryption');
        return ok(
          'GetBucketEncryption',
          `<ServerSideEncryptionConfiguration xmlns="${NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
        );
      }
      if (request.method === 'GET' && q.get('list-type') === '2') {
        if (!objects) return noBucket('ListObjectsV2');
        const prefix = q.get('prefix') ?? '';
        const max = Number(q.get('max-keys') ?? '1000');
        const keys = [...objects.keys()]
          .filter(k => k.startsWith(prefix))
          .sort()
          .slice(0, max);
        return ok(
          'ListObjectsV2',
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
                  objects.get(k)!.body.length,
                )}${el('ETag', objects.get(k)!.etag)}</Contents>`,
            )
            .join('')}</ListBucketResult>`,
        );
      }
      if (request.method === 'HEAD') {
        if (!objects)
          return { action: 'HeadBucket', response: { status: 404 } };
        return { action: 'HeadBucket', response: { status: 200 } };
      }
      return error(
        `${request.method} bucket`,
        400,
        'NotImplemented',
        `The fake S3 does not implement ${request.method} on a bucket with query "${q}"`,
      );
    }

    if (request.method === 'PUT' && !q.toString()) {
      if (!objects) return noBucket('PutObject');
      const chunked = /aws-chunked/.test(
        String(request.headers['content-encoding'] ?? ''),
      );
      const body = chunked ? decodeAwsChunked(request.body) : request.body;
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      const contentType = request.headers['content-type'];
      objects.set(key, { body, etag, contentType });
      return {
        action: 'PutObject',
        response: { status: 200, headers: { etag } },
      };
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const action = request.method === 'GET' ? 'GetObject' : 'HeadObject';
      if (!objects) return noBucket(action);
      const object = objects.get(key);
      if (!object) {
        if (request.method === 'HEAD')
          return { action, response: { status: 404 } };
        return error(action, 404, 'NoSuchKey', `No such key: ${key}`);
      }
      const response: FakeResponse = {
        status: 200,
        headers: {
          etag: object.etag,
          'content-length': String(object.body.length),
          'content-type': object.contentType ?? 'application/octet-stream',
        },
        body: request.method === 'GET' ? object.body : undefined,
      };
      return { action, response };
    }
    return error(
      `${request.method} object`,
      400,
      'NotImplemented',
      `The fake S3 does not implement ${request.method} on an object with query "${q}"`,
    );
  }

  private locate(
    host: string,
    path: string,
  ): { bucket?: string; key?: string } {
    const segments = path.replace(/^\//, '');
    const virtual = /^(.+)\.s3[.-]/.exec(host);
    if (virtual) {
      return { bucket: virtual[1], key: decodeKey(segments) };
    }
    const slash = segments.indexOf('/');
    if (slash < 0) return { bucket: segments || undefined };
    return {
      bucket: segments.slice(0, slash),
      key: decodeKey(segments.slice(slash + 1)),
    };
  }
}

function decodeKey(raw: string): string | undefined {
  return raw ? raw.split('/').map(decodeURIComponent).join('/') : undefined;
}
