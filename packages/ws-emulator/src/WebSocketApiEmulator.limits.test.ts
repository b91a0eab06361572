import { StandaloneServer } from './standalone';
import {
  connect,
  echo,
  eventually,
  recorder,
  refusal,
  startTestApi,
} from './testing/harness';

jest.setTimeout(20_000);

describe('WebSocketApiEmulator limits', () => {
  let api: StandaloneServer | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('closes with 1009 on a frame over the frame limit', async () => {
    const disconnect = recorder();
    const route = recorder();
    api = await startTestApi({
      routes: {
        $default: { integration: route },
        $disconnect: { integration: disconnect },
      },
    });
    const client = await connect(api.url);
    client.send('a'.repeat(32 * 1024));
    client.send('b'.repeat(32 * 1024 + 1));
    expect((await client.closed).code).toBe(1009);
    await eventually(() => disconnect.events.length === 1, '$disconnect');
    expect(disconnect.events[0].requestContext).toMatchObject({
      disconnectStatusCode: 1009,
      disconnectReason: 'Message too big',
    });
    expect(route.events.map(e => e.body!.length)).toEqual([32 * 1024]);
  });

  it('accepts a fragmented message up to the message limit and closes with 1009 past it', async () => {
    const route = recorder();
    api = await startTestApi({ routes: { $default: { integration: route } } });
    const sendFragmented = (
      client: Awaited<ReturnType<typeof connect>>,
      total: number,
    ) => {
      const part = 32 * 1024;
      for (let sent = 0; sent < total; sent += part) {
        client.ws.send('x'.repeat(Math.min(part, total - sent)), {
          fin: sent + part >= total,
        });
      }
    };
    const ok = await connect(api.url);
    sendFragmented(ok, 128 * 1024);
    await eventually(
      () => route.events.length === 1,
      'fragmented message routed',
    );
    expect(route.events[0].body!.length).toBe(128 * 1024);
    await ok.close();

    const tooBig = await connect(api.url);
    sendFragmented(tooBig, 128 * 1024 + 1);
    expect((await tooBig.closed).code).toBe(1009);
    expect(route.events).toHaveLength(1);
  });

  it('closes idle connections with 1001', async () => {
    const disconnect = recorder();
    api = await startTestApi({
      limits: { idleTimeoutMs: 200, sweepIntervalMs: 20 },
      routes: { $disconnect: { integration: disconnect } },
    });
    const client = await connect(api.url);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    await eventually(() => disconnect.events.length === 1, '$disconnect');
    expect(disconnect.events[0].requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
  });

  it('closes connections that reach the maximum duration even when active', async () => {
    api = await startTestApi({
      limits: { maxConnectionDurationMs: 300, sweepIntervalMs: 20 },
      routes: { $default: { integration: echo(), response: true } },
    });
    const client = await connect(api.url);
    const keepBusy = setInterval(() => client.send('ping'), 20);
    try {
      expect((await client.closed).code).toBe(1001);
      expect(client.received.length).toBeGreaterThan(0);
    } finally {
      clearInterval(keepBusy);
    }
  });

  it('refuses upgrades over the connection rate with 429', async () => {
    api = await startTestApi({
      limits: { connectionsPerSecond: 2 },
      routes: {},
    });
    const a = await connect(api.url);
    const b = await connect(api.url);
    const refused = await refusal(api.url);
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Limit Exceeded' });
    await a.close();
    await b.close();
  });

  it('drops route responses a slow client cannot take and counts them', async () => {
    const big = 'r'.repeat(30 * 1024);
    api = await startTestApi({
      limits: { maxBufferedBytes: 64 * 1024 },
      routes: {
        $default: {
          integration: recorder(() => ({ body: big })),
          response: true,
        },
      },
    });
    const client = await connect(api.url);
    client.ws.pause();
    const sender = await connect(api.url);
    const id = api.emulator.listConnections()[0].connectionId;
    expect(api.emulator.listConnections()[1].connectionId).not.toBe(id);
    for (let i = 0; i < 400; i++) {
      client.send('go');
    }
    await eventually(
      () =>
        api!.emulator.recentFrames(1000).filter(f => f.direction === 'in')
          .length >= 200,
      'frames handled',
    );
    await eventually(
      () => api!.emulator.listConnections()[0].droppedFrames > 0,
      'dropped frames',
    );
    const summary = api.emulator
      .listConnections()
      .find(c => c.connectionId === id)!;
    expect(summary.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
    client.ws.terminate();
    await sender.close();
  });
});
