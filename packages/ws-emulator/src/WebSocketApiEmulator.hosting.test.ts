import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { locateConnections } from './management/ConnectionDirectory';
import { GoneException, managementErrorFromType } from './management/errors';
import {
  connect,
  eventually,
  rawUpgrade,
  recorder,
  refusal,
  startTestApi,
} from './testing/harness';
import { WebSocketApiEmulator } from './WebSocketApiEmulator';

jest.setTimeout(20_000);

const PREFIX = '/api/stackyard/sockets/preview-1/dev';

describe('WebSocketApiEmulator mounted on an existing server', () => {
  let server: http.Server;
  let emulator: WebSocketApiEmulator;
  let base: string;
  const connectRoute = recorder(e =>
    e.headers?.['Sec-WebSocket-Protocol']?.includes('chat')
      ? { headers: { 'Sec-WebSocket-Protocol': 'chat' } }
      : undefined,
  );
  const remote = {
    post: jest.fn(async (id: string) => {
      if (id !== 'elsewhere') throw new GoneException(id);
    }),
    get: jest.fn(async () => ({
      connectedAt: 'x',
      lastActiveAt: 'y',
      identity: { sourceIp: '', userAgent: '' },
    })),
    delete: jest.fn(async () => {
      throw managementErrorFromType('GoneException', 'gone elsewhere');
    }),
  };

  beforeEach(async () => {
    connectRoute.events.length = 0;
    emulator = WebSocketApiEmulator.create({
      basePath: PREFIX,
      stage: 'dev',
      routes: {
        $connect: { integration: connectRoute },
        $default: {
          integration: recorder(e => ({ body: `got ${e.body}` })),
          response: true,
        },
      },
      authorizeUpgrade: req => {
        const offered = (req.headers['sec-websocket-protocol'] ?? '')
          .split(',')
          .map(p => p.trim());
        const token = offered.find(p => p.startsWith('token.'));
        return token === 'token.secret'
          ? {
              allow: true,
              consumedProtocols: [token],
              consumedHeaders: ['cookie'],
            }
          : {
              allow: false,
              statusCode: 401,
              message: 'Missing or invalid connection key',
            };
      },
      remoteConnections: remote,
    });
    server = http.createServer((req, res) => {
      if (!emulator.handleRequest(req, res)) {
        res.writeHead(200).end('host app');
      }
    });
    server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith(PREFIX)) {
        emulator.handleUpgrade(req, socket, head);
      } else {
        socket.destroy();
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await emulator.close();
    await new Promise(resolve => server.close(resolve));
  });

  it('leaves other requests to the host', async () => {
    const text = await new Promise<string>((resolve, reject) =>
      http
        .get(`http://${base}/api/other`, res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject),
    );
    expect(text).toBe('host app');
  });

  it('refuses unauthorized upgrades with a proper HTTP response before $connect', async () => {
    const refused = await refusal(`ws://${base}${PREFIX}`, {
      protocols: ['token.wrong'],
    });
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({
      message: 'Missing or invalid connection key',
    });
    expect(connectRoute.events).toHaveLength(0);
  });

  it('never echoes or forwards the token, and keeps $connect semantics', async () => {
    const plain = await rawUpgrade(`ws://${base}${PREFIX}`, {
      'Sec-WebSocket-Protocol': 'token.secret',
      Cookie: 'session=abc',
    });
    expect(plain.statusCode).toBe(101);
    expect(plain.headers['sec-websocket-protocol']).toBeUndefined();

    const client = await connect(`ws://${base}${PREFIX}/dev`, {
      protocols: ['token.secret', 'chat'],
    });
    expect(client.ws.protocol).toBe('chat');
    const forwarded = connectRoute.events.map(e => JSON.stringify(e));
    expect(forwarded).toHaveLength(2);
    for (const event of forwarded) {
      expect(event).not.toContain('token.secret');
      expect(event).not.toContain('session=abc');
    }
    expect(connectRoute.events[1].headers!['Sec-WebSocket-Protocol']).toBe(
      'chat',
    );
    await client.close();
  });

  it('offers an inspector: list, recent frames, send, disconnect', async () => {
    const client = await connect(`ws://${base}${PREFIX}`, {
      protocols: ['token.secret', 'chat'],
    });
    await eventually(
      () => emulator.listConnections().length === 1,
      'connection',
    );
    const [summary] = emulator.listConnections();
    expect(summary).toMatchObject({
      identity: { sourceIp: '127.0.0.1' },
      bufferedBytes: 0,
      channels: [],
    });
    client.send('hello');
    expect(await client.message(0)).toBe('got hello');
    await emulator.postToConnection(summary.connectionId, 'from inspector');
    expect(await client.message(1)).toBe('from inspector');
    expect(
      emulator.recentFrames().map(f => [f.direction, f.preview, f.routeKey]),
    ).toEqual([
      ['in', 'hello', '$default'],
      ['out', 'got hello', undefined],
      ['out', 'from inspector', undefined],
    ]);
    expect(emulator.recentFrames(1)).toHaveLength(1);
    await emulator.deleteConnection(summary.connectionId);
    expect((await client.closed).code).toBe(1000);
    await expect(
      emulator.postToConnection(summary.connectionId, 'x', { localOnly: true }),
    ).rejects.toBeInstanceOf(GoneException);
  });

  it('hands operations on connections it does not hold to remoteConnections', async () => {
    await emulator.postToConnection('elsewhere', 'hi');
    expect(remote.post).toHaveBeenCalledWith('elsewhere', Buffer.from('hi'));
    await expect(
      emulator.postToConnection('nowhere', 'hi'),
    ).rejects.toBeInstanceOf(GoneException);
    await expect(emulator.getConnection('elsewhere')).resolves.toMatchObject({
      connectedAt: 'x',
    });
    const status = await new Promise<{ code: number; type: unknown }>(
      (resolve, reject) => {
        const req = http.request(
          `http://${base}${PREFIX}/@connections/abc`,
          { method: 'DELETE' },
          res => {
            res.resume();
            resolve({
              code: res.statusCode!,
              type: res.headers['x-amzn-errortype'],
            });
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toEqual({ code: 410, type: 'GoneException' });
  });

  it('exposes its own connections as a holder, for locating connections across emulators', async () => {
    const other = await startTestApi({ routes: {} });
    try {
      const client = await connect(other.url);
      await eventually(() => other.emulator.listConnections().length === 1);
      const [{ connectionId }] = other.emulator.listConnections();
      const directory = locateConnections({
        here: () => [emulator.heldConnections, other.emulator.heldConnections],
      });
      expect(emulator.heldConnections.holds(connectionId)).toBe(false);
      expect(other.emulator.heldConnections.holds(connectionId)).toBe(true);
      await directory.post(connectionId, Buffer.from('found'));
      expect(await client.message()).toBe('found');
      // A holder never looks elsewhere: remoteConnections is not asked.
      await expect(
        emulator.heldConnections.post('elsewhere', Buffer.from('x')),
      ).rejects.toBeInstanceOf(GoneException);
      expect(remote.post).not.toHaveBeenCalledWith(
        'elsewhere',
        Buffer.from('x'),
      );
      await directory.delete(connectionId);
      expect((await client.closed).code).toBe(1000);
    } finally {
      await other.close();
    }
  });
});
