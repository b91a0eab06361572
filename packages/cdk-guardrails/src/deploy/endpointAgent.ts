import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { DeployRefusedError } from './DeployRefusedError';

/** An http(s) URL with a host and nothing after it but a slash. */
function parseEndpointUrl(endpoint: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !url.hostname ||
    url.username ||
    url.password ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash
  ) {
    throw new DeployRefusedError(
      `endpoint ${JSON.stringify(
        endpoint.slice(0, 200),
      )} is not an http(s) URL of a host, such as http://127.0.0.1:4566`,
    );
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
  const url = parseEndpointUrl(endpoint);
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
