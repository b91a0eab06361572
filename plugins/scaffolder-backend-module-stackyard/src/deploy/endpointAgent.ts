import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { InputError } from '@backstage/errors';

/**
 * Parses a target's `endpoint`: an `http:` or `https:` URL without a path,
 * query or credentials. Throws an `InputError` naming the value otherwise.
 */
export function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InputError(`endpoint "${endpoint}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `endpoint "${endpoint}" must be an http: or https: URL`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      `endpoint "${endpoint}" must not carry credentials, a query or a fragment`,
    );
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new InputError(`endpoint "${endpoint}" must not have a path`);
  }
  return url;
}

/**
 * An HTTPS agent that opens every connection to `endpoint` instead of the
 * AWS host a request names, the way a transparent proxy would.
 *
 * toolkit-lib has no endpoint setting, but it hands `sdkConfig.httpOptions.agent`
 * to every SDK client it creates, the credential providers that assume its
 * deploy and publishing roles included. Redirecting at the socket keeps each
 * request exactly as the SDK signed it (Host header included), so an
 * AWS-compatible endpoint can tell services and buckets apart as AWS does,
 * and no process-wide setting (such as `AWS_ENDPOINT_URL`) is touched, which
 * matters when several tasks deploy at once.
 */
export function endpointAgent(endpoint: string): https.Agent {
  const url = parseEndpoint(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));

  class EndpointAgent extends https.Agent {
    createConnection(): net.Socket {
      // Returning the socket (rather than calling back) is how the default
      // agents hand over theirs; connection errors reach the request.
      return secure
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? undefined : host,
          })
        : net.connect({ host, port });
    }
  }
  return new EndpointAgent({ keepAlive: true });
}
