import http, { IncomingMessage, IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { WebSocketEvent } from '../events';
import type { Integration, ProxyResult } from '../integrations/types';
import {
  startWebSocketApiServer,
  StandaloneServer,
  StandaloneServerOptions,
} from '../standalone';

/** An integration that records events and answers with `answer`. */
export function recorder(
  answer: (
    event: WebSocketEvent,
  ) => ProxyResult | undefined | Promise<ProxyResult | undefined> = () =>
    undefined,
): Integration & { events: WebSocketEvent[] } {
  const events: WebSocketEvent[] = [];
  return {
    description: 'test:recorder',
    events,
    async invoke(event) {
      events.push(event);
      return answer(event);
    },
  };
}

/** An echo integration: returns the message body. */
export function echo(): Integration {
  return {
    description: 'test:echo',
    async invoke(event) {
      return { statusCode: 200, body: event.body };
    },
  };
}

/** A client collecting everything it receives. */
export class TestClient {
  readonly received: { data: Buffer; isBinary: boolean }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.received.push({ data: data as Buffer, isBinary });
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach(w => w());
    });
    this.closed = new Promise(resolve =>
      ws.on('close', (code, reason) =>
        resolve({ code, reason: reason.toString() }),
      ),
    );
    ws.on('error', () => {});
  }

  /** Resolves with the n-th message received (0-based) as text. */
  async message(n = 0): Promise<string> {
    return (await this.frame(n)).data.toString('utf8');
  }

  async frame(n = 0): Promise<{ data: Buffer; isBinary: boolean }> {
    while (this.received.length <= n) {
      await new Promise<void>(resolve => this.waiters.push(resolve));
    }
    return this.received[n];
  }

  async json(n = 0): Promise<any> {
    return JSON.parse(await this.message(n));
  }

  send(data: unknown): void {
    this.ws.send(
      typeof data === 'string' || Buffer.isBuffer(data)
        ? data
        : JSON.stringify(data),
    );
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await this.closed;
    }
  }
}

/** Opens a client; resolves once open. */
export function connect(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers,
    });
    const client = new TestClient(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        reject(
          Object.assign(new Error(`refused ${res.statusCode}`), {
            statusCode: res.statusCode,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        ),
      );
    });
    ws.once('error', reject);
  });
}

/** Resolves with the status and body of a refused upgrade. */
export async function refusal(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<{
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}> {
  try {
    const client = await connect(url, options);
    await client.close();
  } catch (error) {
    const e = error as {
      statusCode?: number;
      body: string;
      headers: Record<string, unknown>;
    };
    if (e.statusCode) {
      return { statusCode: e.statusCode, body: e.body, headers: e.headers };
    }
    throw error;
  }
  throw new Error('upgrade was accepted');
}

/** Starts a standalone API on an ephemeral loopback port; remember to close it. */
export function startTestApi(
  options: StandaloneServerOptions,
): Promise<StandaloneServer> {
  return startWebSocketApiServer({
    host: '127.0.0.1',
    port: 0,
    stage: 'test',
    ...options,
  });
}

/** Resolves when `predicate` holds, polling every 5 ms. */
export async function eventually(
  predicate: () => boolean,
  what = 'condition',
): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 10_000) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/** Sends a bare upgrade request; resolves with the response status and headers (101 or a refusal). */
export function rawUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ statusCode: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ statusCode: res.statusCode!, headers: res.headers });
    });
    req.on('response', res => {
      res.resume();
      resolve({ statusCode: res.statusCode!, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}
