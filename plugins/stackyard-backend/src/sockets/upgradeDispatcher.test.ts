import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { closed, nextMessage, openSocket } from '../__testUtils__/wsClient';
import { UpgradeDispatcher, UpgradeHandler } from './upgradeDispatcher';

const ENV = '3f0c3a52-8d5e-4c55-9f7e-0d6a4f1b2c3d';

/** Completes every upgrade and echoes messages. */
function echoHandler(): UpgradeHandler & { wss: WebSocketServer } {
  const wss = new WebSocketServer({ noServer: true });
  const handler = (req: http.IncomingMessage, socket: any, head: Buffer) =>
    wss.handleUpgrade(req, socket, head, ws => {
      ws.on('message', data => ws.send(`echo:${data}`));
    });
  return Object.assign(handler, { wss });
}

/** What a raw TCP client saw: every byte, and whether the server ended and closed. */
type RawOutcome = { text: string; ended: boolean; closedAfterMs: number };

/**
 * Sends a raw upgrade request and waits for the server to close the
 * socket (within `limitMs`, else the outcome has `closedAfterMs: -1`).
 */
function rawUpgrade(
  port: number,
  path: string,
  options: { limitMs?: number; halfClose?: boolean } = {},
): Promise<RawOutcome> {
  const started = Date.now();
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let ended = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, ended, closedAfterMs: -1 });
    }, options.limitMs ?? 5_000);
    socket.on('data', chunk => {
      text += chunk.toString('latin1');
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ended, closedAfterMs: Date.now() - started });
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    // A client that half-closes at once, and so never closes its side.
    if (options.halfClose) socket.end();
  });
}

/** Parses a complete HTTP response: status, headers and body (chunked or not). */
function parseResponse(text: string) {
  const [head, body] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map(line => {
      const at = line.indexOf(':');
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
    }),
  );
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body,
  };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

const connections = (server: http.Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) =>
      error ? reject(error) : resolve(count),
    ),
  );

describe('UpgradeDispatcher', () => {
  let server: http.Server;
  let port: number;
  const clients: WebSocket[] = [];

  async function listen(handler?: http.RequestListener) {
    server = http.createServer(
      handler ?? ((_req, res) => res.writeHead(404).end('plain request')),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  afterEach(async () => {
    clients.splice(0).forEach(ws => ws.terminate());
    server.closeAllConnections();
    await UpgradeDispatcher.of(server)?.close();
    await new Promise(resolve => server.close(resolve));
  });

  it('answers an upgrade to a path nobody serves with a complete 404 and closes the socket', async () => {
    await listen();
    UpgradeDispatcher.attach(server).route('/api/stackyard/sockets', () => {
      throw new Error('not this one');
    });
    for (const halfClose of [false, true]) {
      const outcome = await rawUpgrade(port, '/api/nothing-here', {
        halfClose,
      });
      expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(0);
      expect(outcome.ended).toBe(true);
      const response = parseResponse(outcome.text);
      expect(response.status).toBe(404);
      expect(response.headers.connection).toBe('close');
      expect(Buffer.byteLength(response.body)).toBe(
        Number(response.headers['content-length']),
      );
      expect(JSON.parse(response.body).message).toMatch(/Not Found/);
    }
    expect(await connections(server)).toBe(0);
  });

  it('hands registered paths, and paths under them, to their handlers', async () => {
    await listen();
    const dispatcher = UpgradeDispatcher.attach(server);
    const sockets = echoHandler();
    const other = jest.fn(echoHandler());
    dispatcher.route('/api/stackyard/sockets/', sockets);
    dispatcher.route('/api/other', other);

    const outcome = await openSocket(
      `ws://127.0.0.1:${port}/api/stackyard/sockets/${ENV}/dev?x=1`,
    );
    expect(outcome.kind).toBe('open');
    if (outcome.kind !== 'open') return;
    clients.push(outcome.ws);
    const reply = nextMessage(outcome.ws);
    outcome.ws.send('hi');
    await expect(reply).resolves.toBe('echo:hi');
    expect(other).not.toHaveBeenCalled();

    // A path that only shares a prefix with a route is not under it.
    const lookalike = await rawUpgrade(port, '/api/stackyard/socketsx');
    expect(parseResponse(lookalike.text).status).toBe(404);
    expect(server.listenerCount('upgrade')).toBe(1);
  });

  it('answers 503 for an upgrade its handler leaves unanswered, and 500 when the handler fails', async () => {
    await listen();
    const dispatcher = UpgradeDispatcher.attach(server, {
      handshakeTimeoutMs: 200,
      logger: mockServices.logger.mock(),
    });
    dispatcher.route('/api/silent', () => {});
    dispatcher.route('/api/broken', async () => {
      throw new Error('boom');
    });
    const silent = await rawUpgrade(port, '/api/silent');
    expect(parseResponse(silent.text).status).toBe(503);
    expect(silent.closedAfterMs).toBeGreaterThanOrEqual(200);
    const broken = await rawUpgrade(port, '/api/broken');
    expect(parseResponse(broken.text).status).toBe(500);
    expect(await connections(server)).toBe(0);
  });

  describe('adopted paths (the signals backend)', () => {
    /**
     * An express app that mounts, at /api/signals, a router behaving as
     * Backstage's signals backend (0.3.x, `dist/service/router.cjs.js`)
     * does: it adds its `upgrade` listener to the server when it first sees
     * an upgrade as a plain request, and never answers that request; the
     * listener ignores (and leaves unanswered) any upgrade whose `req.url`
     * does not end its base URL, and completes the others after an await.
     * The real one is exercised by packages/backend/src/shutdown.test.ts.
     */
    async function listenWithSignals() {
      const app = express();
      await listen(app);
      const wss = new WebSocketServer({ noServer: true });
      let subscribed = false;
      const handleUpgrade = async (
        req: http.IncomingMessage,
        socket: any,
        head: Buffer,
      ) => {
        const apiUrl = await Promise.resolve(
          `http://127.0.0.1:${port}/api/signals`,
        );
        if (!req.url || !apiUrl.endsWith(req.url)) return;
        wss.handleUpgrade(req, socket, head, () => {});
      };
      const router = express.Router();
      router.use(async (req, _res, next) => {
        const httpServer = (req.socket as any).server;
        if (subscribed || req.headers.upgrade?.toLowerCase() !== 'websocket') {
          next();
          return;
        }
        subscribed = true;
        httpServer.on('upgrade', handleUpgrade);
      });
      app.use('/api/signals', router);
      app.use((_req, res) => {
        res.status(404).json({ message: 'plain 404' });
      });
    }

    it('upgrades the first signals connection, and every later one', async () => {
      await listenWithSignals();
      UpgradeDispatcher.attach(server);
      for (let attempt = 0; attempt < 3; attempt++) {
        const outcome = await openSocket(`ws://127.0.0.1:${port}/api/signals`);
        expect(outcome.kind).toBe('open');
        if (outcome.kind === 'open') clients.push(outcome.ws);
      }
      // signals' listener was adopted, not added to the server.
      expect(server.listenerCount('upgrade')).toBe(1);
      // and is never given other paths, which get their 404.
      const other = await rawUpgrade(port, '/api/catalog');
      expect(parseResponse(other.text).status).toBe(404);
    });

    it('upgrades simultaneous first connections', async () => {
      await listenWithSignals();
      UpgradeDispatcher.attach(server);
      const outcomes = await Promise.all(
        [1, 2, 3].map(() => openSocket(`ws://127.0.0.1:${port}/api/signals`)),
      );
      for (const outcome of outcomes) {
        expect(outcome.kind).toBe('open');
        if (outcome.kind === 'open') clients.push(outcome.ws);
      }
    });

    it('passes on the answer of the request listeners when no plugin adopts the path', async () => {
      await listen((_req, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('who?');
      });
      UpgradeDispatcher.attach(server);
      const outcome = await rawUpgrade(port, '/api/signals');
      expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(0);
      expect(parseResponse(outcome.text)).toMatchObject({
        status: 401,
        body: 'who?',
      });
      expect(await connections(server)).toBe(0);
    });

    it('gives adopted paths to upgrade listeners that were on the server before it', async () => {
      await listen();
      const early = jest.fn(echoHandler());
      server.on('upgrade', early);
      UpgradeDispatcher.attach(server);
      expect(server.listenerCount('upgrade')).toBe(1);
      const outcome = await openSocket(`ws://127.0.0.1:${port}/api/signals`);
      expect(outcome.kind).toBe('open');
      if (outcome.kind === 'open') clients.push(outcome.ws);
      const other = await rawUpgrade(port, '/elsewhere');
      expect(parseResponse(other.text).status).toBe(404);
      expect(early).toHaveBeenCalledTimes(1);

      server.off('upgrade', early);
      const after = await rawUpgrade(port, '/api/signals');
      // Nothing serves it now: passed to the request listener, which says 404.
      expect(parseResponse(after.text)).toMatchObject({
        status: 404,
        body: 'plain request',
      });
    });
  });

  describe('close()', () => {
    it('ends upgraded sockets with 1001 Going Away, answers pending ones 503, and leaves no connection', async () => {
      await listen();
      const dispatcher = UpgradeDispatcher.attach(server, {
        closeTimeoutMs: 1_000,
      });
      dispatcher.route('/ws', echoHandler());
      // Completes the handshake by hand, with no `ws` on the server side.
      dispatcher.route('/raw', (_req, socket) => {
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
        );
      });
      dispatcher.route('/pending', () => {});

      const ws = await openSocket(`ws://127.0.0.1:${port}/ws`);
      expect(ws.kind).toBe('open');
      if (ws.kind !== 'open') return;
      const wsClosed = closed(ws.ws);
      const raw = rawUpgrade(port, '/raw');
      const pending = rawUpgrade(port, '/pending');
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(await connections(server)).toBe(3);

      const started = Date.now();
      await dispatcher.close();
      const tookMs = Date.now() - started;
      expect(tookMs).toBeLessThan(1_000 + 500);

      expect(await wsClosed).toBe(1001);
      const rawOutcome = await raw;
      // The close frame: FIN + close opcode, length 2, code 1001.
      expect(
        Buffer.from(rawOutcome.text.split('\r\n\r\n')[1], 'latin1'),
      ).toEqual(Buffer.from([0x88, 0x02, 0x03, 0xe9]));
      expect(parseResponse((await pending).text).status).toBe(503);
      expect(await connections(server)).toBe(0);

      const late = await rawUpgrade(port, '/ws');
      expect(parseResponse(late.text).status).toBe(503);
    });

    it('destroys sockets whose clients never close within the bound', async () => {
      await listen();
      const dispatcher = UpgradeDispatcher.attach(server, {
        closeTimeoutMs: 300,
        includeHttpConnections: true,
      });
      // A handler that keeps the socket without ever ending it.
      dispatcher.route('/hold', (_req, socket) => {
        socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
        socket.end = (() => socket) as any;
      });
      const held = rawUpgrade(port, '/hold', { limitMs: 10_000 });
      // A plain HTTP client that sent half a request.
      const halfRequest = net.connect(port, '127.0.0.1');
      halfRequest.on('error', () => {});
      halfRequest.write('GET /api/catalog HTTP/1.1\r\nHost: x\r\n');
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(await connections(server)).toBe(2);

      const serverClosed = new Promise(resolve => server.close(resolve));
      const started = Date.now();
      await dispatcher.close();
      expect(Date.now() - started).toBeLessThan(300 + 500);
      expect((await held).closedAfterMs).toBeGreaterThanOrEqual(0);
      await serverClosed;
      expect(await connections(server)).toBe(0);
    });
  });
});
