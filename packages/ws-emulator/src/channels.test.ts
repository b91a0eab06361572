import http from 'node:http';
import { StandaloneServer } from './standalone';
import { connect, recorder, startTestApi } from './testing/harness';

describe('channels', () => {
  let api: StandaloneServer | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('are off by default: $channel frames are routed like any message', async () => {
    const route = recorder();
    api = await startTestApi({ routes: { $default: { integration: route } } });
    const client = await connect(api.url);
    client.send({ $channel: 'subscribe', name: 'room' });
    client.send({ action: 'x' });
    await new Promise(resolve => setImmediate(resolve));
    await client.close();
    expect(route.events.length).toBeGreaterThanOrEqual(1);
    expect(route.events[0].body).toContain('$channel');
    expect(() => api!.emulator.publish('room', 1)).toThrow(
      'Channels are not enabled',
    );
  });

  it('subscribe, publish from a client, from the library and over HTTP, unsubscribe', async () => {
    const route = recorder();
    api = await startTestApi({
      channels: { enabled: true, maxChannelsPerConnection: 1 },
      routes: { $default: { integration: route } },
    });
    const a = await connect(api.url);
    const b = await connect(api.url);
    a.send({ $channel: 'subscribe', name: 'room-1' });
    expect(await a.json(0)).toEqual({ $channel: 'subscribed', name: 'room-1' });
    b.send({ $channel: 'publish', name: 'room-1', data: { hello: 1 } });
    expect(await a.json(1)).toEqual({
      $channel: 'message',
      name: 'room-1',
      data: { hello: 1 },
    });
    expect(api.emulator.publish('room-1', 'lib')).toBe(1);
    expect(await a.json(2)).toMatchObject({ data: 'lib' });

    const delivered = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        `${api!.connectionsEndpoint}/@channels/room-1`,
        { method: 'POST' },
        res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.end('{"via":"http"}');
    });
    expect(JSON.parse(delivered)).toEqual({ delivered: 1 });
    expect(await a.json(3)).toMatchObject({ data: { via: 'http' } });

    a.send({ $channel: 'subscribe', name: 'room-2' });
    expect(await a.json(4)).toMatchObject({
      $channel: 'error',
      message: 'Too many channels for this connection',
    });
    a.send({ $channel: 'join', name: 'room-1' });
    expect((await a.json(5)).message).toMatch(/"join"/);
    a.send({ $channel: 'unsubscribe', name: 'room-1' });
    expect(await a.json(6)).toEqual({
      $channel: 'unsubscribed',
      name: 'room-1',
    });
    expect(api.emulator.publish('room-1', 'none')).toBe(0);
    expect(route.events).toHaveLength(0);
    await a.close();
    await b.close();
  });
});
