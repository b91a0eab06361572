import { InputError } from '@backstage/errors';
import { quoteValue } from '@stackyard/plugin-stackyard-common';

/**
 * What is wrong with a target's `endpoint`, or undefined when it is an
 * `http:` or `https:` URL without a path, query or credentials (so that a
 * request signed for an AWS host is sent there unchanged).
 */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must be an http: or https: URL';
  }
  if (url.username || url.password || url.search || url.hash) {
    return 'must not carry credentials, a query or a fragment';
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    return 'must not have a path';
  }
  return undefined;
}

/**
 * Parses a target's `endpoint`. Throws an `InputError` naming the value
 * unless {@link endpointProblem} accepts it.
 */
export function parseEndpoint(endpoint: string): URL {
  const problem = endpointProblem(endpoint);
  if (problem) {
    throw new InputError(`endpoint ${quoteValue(endpoint)} ${problem}`);
  }
  return new URL(endpoint);
}
