import { LoopbackRequest, formOf, signatureOf } from './protocol';

/** JSON-protocol services by the prefix of their `X-Amz-Target`. */
const TARGET_PREFIXES: [RegExp, string][] = [
  [/^GraniteServiceVersion20100801\./, 'monitoring'],
  [/^AmazonSSM\./, 'ssm'],
  [/^DynamoDB_\d+\./, 'dynamodb'],
  [/^AWSInsightsIndexService\./, 'ce'],
  [/^AWSPriceListService\./, 'pricing'],
];

/** Query-protocol services by the API `Version` of the form body. */
const QUERY_VERSIONS: Record<string, string> = {
  '2010-05-15': 'cloudformation',
  '2011-06-15': 'sts',
  '2010-08-01': 'monitoring',
};

/**
 * The signing name of the service a request is for. Signed requests (every
 * SDK call) route by their SigV4 credential scope, as AWS-compatible
 * endpoints serving every service on one port do; unsigned ones (a test's
 * own `fetch`) by `X-Amz-Target`, the form body's `Version`, or an S3 host.
 */
export function serviceOf(request: LoopbackRequest): string | undefined {
  const signed = signatureOf(request.headers).service;
  if (signed) return signed;
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    return TARGET_PREFIXES.find(([prefix]) => prefix.test(target))?.[1];
  }
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method === 'POST' && /x-www-form-urlencoded/.test(contentType)) {
    const version = formOf(request).get('Version');
    if (version && QUERY_VERSIONS[version]) return QUERY_VERSIONS[version];
  }
  if (/(^|\.)s3[.-]/.test(request.host)) return 's3';
  return undefined;
}
