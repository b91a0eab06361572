import http from 'node:http';
import https from 'node:https';
import type { WebSocketEvent } from '../events';
import { toProxyResult } from './proxyResult';
import { Integration, IntegrationContext, IntegrationError } from './types';

/**
 * Options of {@link httpIntegration}.
 * @public
 */
export interface HttpIntegrationOptions {
  /** `http:` or `https:` URL the event is POSTed to. */
  readonly url: string;
  /**
   * Extra request headers.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Largest response body read, in bytes; larger responses fail.
   * @default 6291456 (6 MB, Lambda's response limit)
   */
  readonly maxResponseBytes?: number;
}

/**
 * POSTs the event as JSON to a URL and reads the response body as a Lambda
 * proxy result. A non-2xx HTTP status, an unreachable endpoint or a body
 * that is not a proxy result is an integration error; an empty 2xx body
 * counts as "returned nothing".
 * @public
 */
export function httpIntegration(options: HttpIntegrationOptions): Integration {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(
      `httpIntegration: invalid url ${JSON.stringify(options.url)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(
      `httpIntegration: url ${JSON.stringify(
        options.url,
      )} must be http: or https:`,
    );
  }
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 64 });
  const maxResponseBytes = options.maxResponseBytes ?? 6 * 1024 * 1024;
  const extraHeaders = options.headers ?? {};

  return {
    description: `http:${url.origin}${url.pathname}`,
    invoke(event: WebSocketEvent, ctx: IntegrationContext) {
      const payload = Buffer.from(JSON.stringify(event));
      return new Promise((resolve, reject) => {
        const req = transport.request(
          url,
          {
            method: 'POST',
            agent,
            signal: ctx.signal,
            headers: {
              ...extraHeaders,
              'content-type': 'application/json',
              'content-length': payload.length,
            },
          },
          res => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > maxResponseBytes) {
                res.destroy();
                reject(
                  new IntegrationError(
                    `http integration response exceeds ${maxResponseBytes} bytes`,
                  ),
                );
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              const text = Buffer.concat(chunks).toString('utf8');
              if (status < 200 || status >= 300) {
                reject(
                  new IntegrationError(
                    `http integration answered ${status}: ${text.slice(
                      0,
                      200,
                    )}`,
                  ),
                );
                return;
              }
              if (text.trim() === '') {
                resolve(undefined);
                return;
              }
              let parsed: unknown;
              try {
                parsed = JSON.parse(text);
              } catch {
                reject(
                  new IntegrationError(
                    'http integration response is not JSON (a Lambda proxy result was expected)',
                  ),
                );
                return;
              }
              try {
                resolve(toProxyResult(parsed));
              } catch (error) {
                reject(error);
              }
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
