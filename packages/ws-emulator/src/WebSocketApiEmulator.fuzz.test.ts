import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StandaloneServer } from './standalone';
import {
  connect,
  echo,
  eventually,
  recorder,
  startTestApi,
} from './testing/harness';

jest.setTimeout(150_000);

/** A deterministic pseudo-random source, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBody(random: () => number): string | Buffer {
  const pick = Math.floor(random() * 8);
  const n = Math.floor(random() * 300);
  switch (pick) {
    case 0:
      return randomBytes(n);
    case 1:
      return JSON.stringify({ action: randomBytes(n % 20).toString('latin1') });
    case 2:
      return `${'['.repeat(n)}${']'.repeat(n)}`;
    case 3:
      return JSON.stringify({ action: { nested: [n] }, $channel: n });
    case 4:
      return `{"action":"echo","x":${'1'.repeat(n + 1)}}`;
    case 5:
      return '\u0000\uffff\ud83d\ude00'.repeat(n % 10);
    case 6:
      return JSON.stringify({
        action: 'echo',
        __proto__: { polluted: true },
        constructor: n,
      });
    default:
      return JSON.stringify({ action: 'echo', payload: 'x'.repeat(n) });
  }
}

describe('WebSocketApiEmulator robustness', () => {
  let api: StandaloneServer | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('survives fuzzed messages, garbage frames and garbage upgrades', async () => {
    const fallback = recorder(() => ({ body: 'ok' }));
    api = await startTestApi({
      channels: { enabled: true },
      routes: {
        echo: { integration: echo(), response: true },
        $default: { integration: fallback, response: true },
      },
    });
    const random = prng(7);
    const client = await connect(api.url);
    const count = 1000;
    for (let i = 0; i < count; i++) {
      client.send(randomBody(random));
    }
    client.send(JSON.stringify({ action: 'echo', last: true }));
    await eventually(
      () =>
        client.received.some(r => r.data.toString().includes('"last":true')),
      'last echo',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await client.close();

    const { port } = new URL(api.url);
    for (let i = 0; i < 50; i++) {
      await new Promise<void>(resolve => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          const key = randomBytes(16).toString('base64');
          socket.write(
            i % 2 === 0
              ? `GET /test HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`
              : randomBytes(200),
          );
          setTimeout(() => socket.write(randomBytes(64 + i * 10)), 5);
          setTimeout(() => socket.destroy(), 20);
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      });
    }

    const after = await connect(api.url);
    after.send({ action: 'echo', alive: true });
    expect(await after.message()).toBe('{"action":"echo","alive":true}');
    await after.close();
    await eventually(
      () => api!.emulator.stats().connections === 0,
      'all closed',
    );
  });

  it('returns memory to its baseline after 10,000 connects and disconnects', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let connects = 0;
    let disconnects = 0;
    api = await startTestApi({
      limits: { connectionsPerSecond: 1_000_000 },
      recentFrames: 200,
      routes: {
        $connect: {
          integration: {
            description: 'count',
            invoke: async () => {
              connects++;
              return { statusCode: 200 };
            },
          },
        },
        $disconnect: {
          integration: {
            description: 'count',
            invoke: async () => void disconnects++,
          },
        },
        echo: { integration: echo(), response: true },
      },
    });
    const cycle = async () => {
      const client = await connect(api!.url);
      client.send({ action: 'echo' });
      await client.message();
      await client.close();
    };
    const run = async (total: number) => {
      let started = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (started < total) {
            started++;
            await cycle();
          }
        }),
      );
      await eventually(() => {
        const s = api!.emulator.stats();
        return s.connections === 0 && s.pendingDisconnects === 0;
      }, 'disconnects done');
    };
    const heap = async () => {
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      return process.memoryUsage().heapUsed;
    };
    await run(1000);
    const baseline = await heap();
    await run(10_000);
    const after = await heap();
    expect(connects).toBe(11_000);
    expect(disconnects).toBe(11_000);
    expect(api.emulator.stats()).toEqual({
      connections: 0,
      pendingUpgrades: 0,
      pendingDisconnects: 0,
    });
    // A leak of even 300 bytes per connection would exceed this.
    expect(after - baseline).toBeLessThan(3 * 1024 * 1024);
  });
});
