import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { UpgradeDispatcher } from './upgradeDispatcher';
import {
  UpgradeHook,
  UpgradeTarget,
  attachOnRequest,
  closeAttachedOnRequest,
  createUpgradeHook,
} from './upgradeHook';
import { closed, openSocket } from '../__testUtils__/wsClient';

const ENV = '3f0c3a52-8d5e-4c55-9f7e-0d6a4f1b2c3d';

/** An upgrade target that completes every upgrade and echoes messages. */
function echoTarget(): UpgradeTarget {
  const wss = new WebSocketServer({ noServer: true });
  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, ws => {
        ws.on('message', data => ws.send(`echo:${data}`));
      });
    },
  };
}

/** Connects a real client to this test's server and reports its answer. */
const connect = (port: number, path: string) =>
  openSocket(`ws://127.0.0.1:${port}${path}`);

describe('upgradeHook', () => {
  let server: http.Server;
  let port: number;
  const opened: WebSocket[] = [];

  async function listen(handler?: http.RequestListener) {
    server = http.createServer(
      handler ??
        ((_req, res) => {
          res.writeHead(404).end('plain request');
        }),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  /** Routes the hook on the server's dispatcher, as the plugin does. */
  function attach(hook: UpgradeHook) {
    UpgradeDispatcher.attach(server).route(hook.pathPrefix, hook);
  }

  afterEach(async () => {
    opened.splice(0).forEach(ws => ws.terminate());
    await UpgradeDispatcher.of(server)?.close();
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  function hookResolving(
    resolve: (id: string) => Promise<UpgradeTarget | undefined>,
    onError = jest.fn(),
  ) {
    return createUpgradeHook({
      pathPrefix: '/api/stackyard/sockets',
      resolve,
      onError,
    });
  }

  it('hands an environment path to its API, which completes the upgrade', async () => {
    await listen();
    const resolve = jest.fn(async () => echoTarget());
    attach(hookResolving(resolve));
    // Environment ids match in any case; the API is looked up in lower case.
    const outcome = await connect(
      port,
      `/api/stackyard/sockets/${ENV.toUpperCase()}/dev?x=1`,
    );
    expect(outcome.kind).toBe('open');
    const ws = (outcome as { ws: WebSocket }).ws;
    opened.push(ws);
    const reply = new Promise(r => ws.once('message', d => r(String(d))));
    ws.send('hi');
    await expect(reply).resolves.toBe('echo:hi');
    expect(resolve).toHaveBeenCalledWith(ENV);
  });

  it('refuses unknown environments, malformed paths and paths without a stage with an HTTP 404', async () => {
    await listen();
    const resolve = jest.fn(async () => undefined);
    attach(hookResolving(resolve));
    const unknown = await connect(port, `/api/stackyard/sockets/${ENV}/dev`);
    expect(unknown).toMatchObject({ kind: 'refused', status: 404 });
    expect(JSON.parse((unknown as { body: string }).body).message).toMatch(
      /no WebSocket API/,
    );
    for (const path of [
      '/api/stackyard/sockets/not-an-id/dev',
      `/api/stackyard/sockets/${ENV}`,
      `/api/stackyard/sockets/${ENV}/`,
      `/api/stackyard/sockets/${ENV}/dev/extra`,
    ]) {
      const malformed = await connect(port, path);
      expect(malformed).toMatchObject({ kind: 'refused', status: 404 });
      expect(JSON.parse((malformed as { body: string }).body).message).toBe(
        'Not Found: use /api/stackyard/sockets/<environment id>/<stage>',
      );
    }
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when the API cannot be resolved, and reports the error', async () => {
    await listen();
    const onError = jest.fn();
    attach(
      hookResolving(async () => {
        throw new Error('database down');
      }, onError),
    );
    const outcome = await connect(port, `/api/stackyard/sockets/${ENV}/dev`);
    expect(outcome).toMatchObject({ kind: 'refused', status: 500 });
    expect(onError).toHaveBeenCalledWith(new Error('database down'));
  });

  it('attaches a dispatcher from the first request through the router; an upgrade that came earlier gets 503 with Retry-After', async () => {
    const hook = hookResolving(async () => echoTarget());
    const app = express();
    app.use('/api/stackyard', attachOnRequest(hook), (_req, res) => {
      res.status(200).send('router');
    });
    await listen(app);
    expect(UpgradeDispatcher.of(server)).toBeUndefined();

    const early = await connect(port, `/api/stackyard/sockets/${ENV}/dev`);
    expect(early).toMatchObject({ kind: 'refused', status: 503 });
    expect(
      (early as { headers: http.IncomingHttpHeaders }).headers['retry-after'],
    ).toBe('1');
    expect(UpgradeDispatcher.of(server)).toBeDefined();
    expect(server.listenerCount('upgrade')).toBe(1);

    const retry = await connect(port, `/api/stackyard/sockets/${ENV}/dev`);
    expect(retry.kind).toBe('open');
    if (retry.kind !== 'open') return;
    // The plugin's shutdown closes the dispatcher it attached.
    const code = closed(retry.ws);
    await closeAttachedOnRequest(hook);
    expect(await code).toBe(1001);
  });
});
