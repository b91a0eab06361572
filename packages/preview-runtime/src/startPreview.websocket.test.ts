import { rmSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { websocketFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { RunningPreview } from './types';

jest.setTimeout(60_000);

const event = (routeKey: string, connectionId: string, body?: unknown) => ({
  requestContext: {
    routeKey,
    connectionId,
    eventType: routeKey === '$connect' ? 'CONNECT' : 'MESSAGE',
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe("startPreview with the WebSocket template's handlers (real runner)", () => {
  let fixture: Awaited<ReturnType<typeof websocketFixture>>;
  let preview: RunningPreview;
  let connections: Server;
  const posts: { path: string; body: string; signed: boolean }[] = [];

  beforeAll(async () => {
    fixture = await websocketFixture();
    // Stands in for the portal's @connections API.
    connections = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        posts.push({
          path: req.url ?? '',
          body,
          signed: String(req.headers.authorization).startsWith(
            'AWS4-HMAC-SHA256',
          ),
        });
        const gone = req.url?.endsWith('/gone');
        // As API Gateway answers a closed connection.
        res.writeHead(gone ? 410 : 200, {
          'content-type': 'application/json',
          ...(gone ? { 'x-amzn-errortype': 'GoneException' } : {}),
        });
        res.end(gone ? '{"message":"gone"}' : '');
      });
    });
    await new Promise<void>(r => connections.listen(0, '127.0.0.1', () => r()));
    const port = (connections.address() as AddressInfo).port;
    preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
      env: {
        WEBSOCKET_CALLBACK_URL: `http://127.0.0.1:${port}/sockets/chat/dev`,
      },
    });
  });

  afterAll(async () => {
    await preview?.stop();
    connections?.close();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  it('records connections in the TTL table, subscribes them, and publishes through @connections', async () => {
    for (const id of ['c1', 'c2', 'gone']) {
      expect(
        await preview.invoke('connection', event('$connect', id)),
      ).toMatchObject({ ok: true, result: { statusCode: 200 } });
    }
    expect(await preview.tables()).toEqual([{ name: 'connections', items: 3 }]);
    for (const id of ['c1', 'c2', 'gone']) {
      expect(
        await preview.invoke(
          'message',
          event('$default', id, { action: 'subscribe', channel: 'news' }),
        ),
      ).toMatchObject({
        ok: true,
        result: { statusCode: 200 },
      });
    }
    const published = await preview.invoke(
      'message',
      event('publish', 'c1', {
        action: 'publish',
        channel: 'news',
        data: { n: 1 },
      }),
    );
    // The gone connection's 410 is a GoneException the handler skips.
    expect(published).toMatchObject({
      ok: true,
      result: { statusCode: 200, body: JSON.stringify({ delivered: 2 }) },
    });
    expect(posts.map(p => p.path).sort()).toEqual([
      '/sockets/chat/dev/@connections/c1',
      '/sockets/chat/dev/@connections/c2',
      '/sockets/chat/dev/@connections/gone',
    ]);
    expect(posts[0].body).toBe(
      JSON.stringify({ channel: 'news', data: { n: 1 } }),
    );
    expect(posts.every(p => p.signed)).toBe(true);
    expect(
      await preview.invoke('connection', event('$disconnect', 'c2')),
    ).toMatchObject({ ok: true });
    expect(await preview.tables()).toEqual([{ name: 'connections', items: 2 }]);
  });
});
