import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';

/** How the server answered an upgrade. */
export type UpgradeOutcome =
  | {
      kind: 'open';
      ws: WebSocket;
      protocol: string;
      headers: IncomingHttpHeaders;
    }
  | {
      kind: 'refused';
      status: number;
      body: string;
      headers: IncomingHttpHeaders;
    };

/** Opens a real `ws` client and reports the server's answer. */
export function openSocket(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    let headers: IncomingHttpHeaders = {};
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers,
    });
    ws.once('upgrade', res => {
      headers = res.headers;
    });
    ws.once('open', () =>
      resolve({ kind: 'open', ws, protocol: ws.protocol, headers }),
    );
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', chunk => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({
          kind: 'refused',
          status: res.statusCode ?? 0,
          body,
          headers: res.headers,
        }),
      );
    });
    ws.once('error', reject);
  });
}

/** The next message a client receives, as text. */
export function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise(resolve =>
    ws.once('message', data => resolve(String(data))),
  );
}

/** Resolves with the close code once the client is closed. */
export function closed(ws: WebSocket): Promise<number> {
  return new Promise(resolve => {
    if (ws.readyState === WebSocket.CLOSED) resolve(-1);
    else ws.once('close', code => resolve(code));
  });
}
