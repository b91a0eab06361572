import { AWS_STYLE_ID } from './ids';
import { IntegrationContext } from './integrations/types';
import { StandaloneServer } from './standalone';
import {
  connect,
  echo,
  eventually,
  rawUpgrade,
  recorder,
  refusal,
  startTestApi,
} from './testing/harness';

jest.setTimeout(20_000);

describe('WebSocketApiEmulator conformance', () => {
  let api: StandaloneServer | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  describe('route selection', () => {
    it('routes by exact key, then $default, and answers Forbidden without $default', async () => {
      const echoRoute = recorder(e => ({
        statusCode: 200,
        body: `echo:${e.body}`,
      }));
      api = await startTestApi({
        routes: { echo: { integration: echoRoute, response: true } },
      });
      const client = await connect(api.url);
      client.send({ action: 'echo', n: 1 });
      expect(await client.message(0)).toBe('echo:{"action":"echo","n":1}');
      client.send({ action: 'nope' });
      const forbidden = await client.json(1);
      expect(Object.keys(forbidden)).toEqual([
        'message',
        'connectionId',
        'requestId',
      ]);
      expect(forbidden.message).toBe('Forbidden');
      expect(forbidden.connectionId).toMatch(AWS_STYLE_ID);
      expect(forbidden.requestId).toMatch(AWS_STYLE_ID);
      expect(api.emulator.listConnections()[0].connectionId).toBe(
        forbidden.connectionId,
      );
      client.send('not json');
      expect((await client.json(2)).message).toBe('Forbidden');
      expect(echoRoute.events).toHaveLength(1);
      await client.close();
    });

    it('sends non-JSON, unmatched, special-key and binary messages to $default', async () => {
      const fallback = recorder(e => ({
        body: `${e.requestContext.routeKey}:${e.isBase64Encoded}:${e.body}`,
      }));
      api = await startTestApi({
        routes: {
          $default: { integration: fallback, response: true },
          echo: { integration: echo(), response: true },
        },
      });
      const client = await connect(api.url);
      client.send('plain text');
      client.send({ action: 'other' });
      client.send({ action: '$connect' });
      client.send(Buffer.from([0, 1, 2, 255]));
      client.send({ action: 'echo' });
      expect(await client.message(0)).toBe('$default:false:plain text');
      expect(await client.message(1)).toBe('$default:false:{"action":"other"}');
      expect(await client.message(2)).toBe(
        '$default:false:{"action":"$connect"}',
      );
      expect(await client.message(3)).toBe(
        `$default:true:${Buffer.from([0, 1, 2, 255]).toString('base64')}`,
      );
      expect(await client.message(4)).toBe('{"action":"echo"}');
      await client.close();
    });

    it('supports nested and composite route selection expressions', async () => {
      api = await startTestApi({
        routeSelectionExpression:
          '${request.body.meta.service}/${request.body.action}',
        routes: {
          'orders/list': {
            integration: recorder(() => ({ body: 'orders listed' })),
            response: true,
          },
          $default: {
            integration: recorder(() => ({ body: 'default' })),
            response: true,
          },
        },
      });
      const client = await connect(api.url);
      client.send({ meta: { service: 'orders' }, action: 'list' });
      client.send({ meta: { service: 'orders' } });
      expect(await client.message(0)).toBe('orders listed');
      expect(await client.message(1)).toBe('default');
      await client.close();
    });
  });

  describe('$connect', () => {
    it('accepts without a $connect route', async () => {
      api = await startTestApi({
        routes: { echo: { integration: echo(), response: true } },
      });
      const client = await connect(api.url);
      expect(api.emulator.listConnections()).toHaveLength(1);
      await client.close();
    });

    it.each([401, 403, 302, 500])(
      'rejects the upgrade with the status %i it returns',
      async status => {
        api = await startTestApi({
          routes: {
            $connect: {
              integration: recorder(() => ({
                statusCode: status,
                body: 'no way',
              })),
            },
          },
        });
        const refused = await refusal(api.url);
        expect(refused.statusCode).toBe(status);
        expect(refused.body).toBe('no way');
        expect(api.emulator.listConnections()).toHaveLength(0);
      },
    );

    it('answers 500 when $connect fails and 504 when it times out', async () => {
      api = await startTestApi({
        routes: {
          $connect: {
            integration: {
              description: 'test:failing',
              invoke: async e => {
                if (e.queryStringParameters?.mode === 'hang') {
                  return new Promise(() => {});
                }
                throw new Error('boom');
              },
            },
          },
        },
        limits: { integrationTimeoutMs: 150 },
      });
      expect(await refusal(api.url)).toMatchObject({
        statusCode: 500,
        body: JSON.stringify({ message: 'Internal server error' }),
      });
      expect(await refusal(`${api.url}?mode=hang`)).toMatchObject({
        statusCode: 504,
      });
    });

    it('holds the upgrade until $connect has finished', async () => {
      let release!: () => void;
      const gate = new Promise<void>(resolve => {
        release = resolve;
      });
      const events: string[] = [];
      api = await startTestApi({
        routes: {
          $connect: {
            integration: recorder(async () => {
              await gate;
              events.push('connect done');
              return { statusCode: 200 };
            }),
          },
          echo: {
            integration: recorder(() => {
              events.push('message');
              return { body: 'ok' };
            }),
            response: true,
          },
        },
      });
      const opening = connect(api.url);
      await eventually(
        () => api!.emulator.stats().pendingUpgrades === 1,
        'pending upgrade',
      );
      expect(api.emulator.listConnections()).toHaveLength(0);
      release();
      const client = await opening;
      client.send({ action: 'echo' });
      expect(await client.message()).toBe('ok');
      expect(events).toEqual(['connect done', 'message']);
      await client.close();
    });

    it('selects a subprotocol only when $connect returns one', async () => {
      api = await startTestApi({
        routes: {
          $connect: {
            integration: recorder(e =>
              e.queryStringParameters?.pick
                ? {
                    statusCode: 200,
                    headers: {
                      'Sec-WebSocket-Protocol': e.queryStringParameters.pick,
                    },
                  }
                : { statusCode: 200 },
            ),
          },
        },
      });
      const plain = await rawUpgrade(api.url, {
        'Sec-WebSocket-Protocol': 'chat, json',
      });
      expect(plain.statusCode).toBe(101);
      expect(plain.headers['sec-websocket-protocol']).toBeUndefined();
      const picked = await connect(`${api.url}?pick=json`, {
        protocols: ['chat', 'json'],
      });
      expect(picked.ws.protocol).toBe('json');
      await eventually(
        () => api!.emulator.listConnections().length === 1,
        'raw client gone',
      );
      expect(api.emulator.listConnections()[0].subprotocol).toBe('json');
      await picked.close();
    });
  });

  describe('ordering', () => {
    it('handles the messages of one connection one at a time, in order', async () => {
      let active = 0;
      let maxActive = 0;
      const seen: number[] = [];
      api = await startTestApi({
        routes: {
          work: {
            integration: {
              description: 'test:slow',
              async invoke(event) {
                active++;
                maxActive = Math.max(maxActive, active);
                const n = JSON.parse(event.body!).n;
                await new Promise(resolve => setTimeout(resolve, (n * 7) % 5));
                seen.push(n);
                active--;
                return { body: String(n) };
              },
            },
            response: true,
          },
        },
      });
      const client = await connect(api.url);
      const count = 40;
      for (let n = 0; n < count; n++) {
        client.send({ action: 'work', n });
      }
      await client.message(count - 1);
      expect(client.received.map(r => Number(r.data.toString()))).toEqual([
        ...Array(count).keys(),
      ]);
      expect(seen).toEqual([...Array(count).keys()]);
      expect(maxActive).toBe(1);
      await client.close();
    });
  });

  describe('route responses', () => {
    it('sends the body back on two-way routes only, base64 bodies as binary', async () => {
      api = await startTestApi({
        routes: {
          oneway: {
            integration: recorder(() => ({ statusCode: 200, body: 'hidden' })),
          },
          twoway: {
            integration: recorder(() => ({ statusCode: 200, body: 'shown' })),
            response: true,
          },
          bin: {
            integration: recorder(() => ({
              body: Buffer.from([9, 8, 7]).toString('base64'),
              isBase64Encoded: true,
            })),
            response: true,
          },
        },
      });
      const client = await connect(api.url);
      client.send({ action: 'oneway' });
      client.send({ action: 'twoway' });
      client.send({ action: 'bin' });
      expect(await client.message(0)).toBe('shown');
      const binary = await client.frame(1);
      expect(binary.isBinary).toBe(true);
      expect([...binary.data]).toEqual([9, 8, 7]);
      await client.close();
      expect(client.received).toHaveLength(2);
    });

    it('answers integration errors and timeouts with API Gateway error frames', async () => {
      api = await startTestApi({
        limits: { integrationTimeoutMs: 150 },
        routes: {
          fail: {
            integration: recorder(() => {
              throw new Error('boom');
            }),
          },
          malformed: {
            integration: recorder(
              () => ({ body: { not: 'a string' } } as never),
            ),
            response: true,
          },
          hang: {
            integration: {
              description: 'test:hang',
              invoke: (_e, ctx: IntegrationContext) =>
                new Promise(resolve =>
                  ctx.signal.addEventListener('abort', () =>
                    resolve(undefined),
                  ),
                ),
            },
          },
        },
      });
      const client = await connect(api.url);
      const id = api.emulator.listConnections()[0].connectionId;
      client.send({ action: 'fail' });
      client.send({ action: 'malformed' });
      client.send({ action: 'hang' });
      for (const [n, message] of [
        [0, 'Internal server error'],
        [1, 'Internal server error'],
        [2, 'Endpoint request timed out'],
      ] as const) {
        const frame = await client.json(n);
        expect(frame).toEqual({
          message,
          connectionId: id,
          requestId: expect.stringMatching(AWS_STYLE_ID),
        });
      }
      await client.close();
    });
  });

  describe('$disconnect', () => {
    it.each([
      [4000, 'bye', 4000, 'bye'],
      [1000, '', 1000, 'Connection Closed Normally'],
      [undefined, '', 1005, 'Client-side close frame status not set'],
    ])(
      'reports client close %p %p as %p %p',
      async (code, reason, status, text) => {
        const disconnect = recorder();
        api = await startTestApi({
          routes: { $disconnect: { integration: disconnect } },
        });
        const client = await connect(api.url);
        client.ws.close(code, reason);
        await eventually(() => disconnect.events.length === 1, '$disconnect');
        expect(disconnect.events[0].requestContext).toMatchObject({
          disconnectStatusCode: status,
          disconnectReason: text,
        });
      },
    );

    it('runs $disconnect after the messages that were being handled', async () => {
      const order: string[] = [];
      api = await startTestApi({
        routes: {
          slow: {
            integration: recorder(async () => {
              await new Promise(resolve => setTimeout(resolve, 50));
              order.push('message');
              return undefined;
            }),
          },
          $disconnect: {
            integration: recorder(() => void order.push('disconnect')),
          },
        },
      });
      const client = await connect(api.url);
      client.send({ action: 'slow' });
      await eventually(
        () => api!.emulator.recentFrames().length === 1,
        'frame received',
      );
      await client.close();
      await eventually(() => order.length === 2, 'both handled');
      expect(order).toEqual(['message', 'disconnect']);
    });
  });

  describe('event shapes', () => {
    it('passes CONNECT, MESSAGE and DISCONNECT events shaped like API Gateway', async () => {
      const connectRoute = recorder();
      const messageRoute = recorder();
      const disconnectRoute = recorder();
      api = await startTestApi({
        stage: 'dev',
        apiId: 'abc123defg',
        domainName: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
        routes: {
          $connect: { integration: connectRoute },
          send: { integration: messageRoute },
          $disconnect: { integration: disconnectRoute },
        },
      });
      const before = Date.now();
      const client = await connect(`${api.url}?token=a&tag=x&tag=y`, {
        headers: { 'User-Agent': 'conformance/1.0', 'X-Custom': 'one' },
      });
      client.send({ action: 'send', text: 'hi' });
      await eventually(() => messageRoute.events.length === 1, 'message');
      client.ws.close(1000);
      await eventually(() => disconnectRoute.events.length === 1, 'disconnect');

      const connectEvent = connectRoute.events[0];
      expect(Object.keys(connectEvent)).toEqual([
        'headers',
        'multiValueHeaders',
        'queryStringParameters',
        'multiValueQueryStringParameters',
        'requestContext',
        'isBase64Encoded',
      ]);
      expect(connectEvent.headers).toMatchObject({
        'User-Agent': 'conformance/1.0',
        'X-Custom': 'one',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': expect.any(String),
        'Sec-WebSocket-Extensions':
          expect.stringContaining('permessage-deflate'),
        Host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        // Added by API Gateway:
        'X-Amzn-Trace-Id': expect.stringMatching(
          /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/,
        ),
        'X-Forwarded-For': '127.0.0.1',
        'X-Forwarded-Port': connectEvent.headers!.Host.split(':')[1],
        'X-Forwarded-Proto': 'http',
      });
      expect(connectEvent.multiValueHeaders!['X-Custom']).toEqual(['one']);
      expect(connectEvent.multiValueHeaders!['X-Forwarded-For']).toEqual([
        '127.0.0.1',
      ]);
      expect(connectEvent.queryStringParameters).toEqual({
        token: 'a',
        tag: 'y',
      });
      expect(connectEvent.multiValueQueryStringParameters).toEqual({
        token: ['a'],
        tag: ['x', 'y'],
      });
      expect(connectEvent.isBase64Encoded).toBe(false);
      const c = connectEvent.requestContext;
      expect(Object.keys(c)).toEqual([
        'routeKey',
        'eventType',
        'extendedRequestId',
        'requestTime',
        'messageDirection',
        'stage',
        'connectedAt',
        'requestTimeEpoch',
        'identity',
        'requestId',
        'domainName',
        'connectionId',
        'apiId',
      ]);
      expect(c).toEqual({
        routeKey: '$connect',
        eventType: 'CONNECT',
        extendedRequestId: expect.stringMatching(AWS_STYLE_ID),
        requestTime: expect.stringMatching(
          /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/,
        ),
        messageDirection: 'IN',
        stage: 'dev',
        connectedAt: expect.any(Number),
        requestTimeEpoch: expect.any(Number),
        identity: { userAgent: 'conformance/1.0', sourceIp: '127.0.0.1' },
        requestId: expect.stringMatching(AWS_STYLE_ID),
        domainName: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
        connectionId: expect.stringMatching(AWS_STYLE_ID),
        apiId: 'abc123defg',
      });
      expect(c.connectedAt).toBeGreaterThanOrEqual(before);
      expect(c.requestTimeEpoch).toBeGreaterThanOrEqual(c.connectedAt);

      const messageEvent = messageRoute.events[0];
      expect(Object.keys(messageEvent)).toEqual([
        'requestContext',
        'body',
        'isBase64Encoded',
      ]);
      expect(messageEvent.body).toBe('{"action":"send","text":"hi"}');
      expect(Object.keys(messageEvent.requestContext)).toEqual([
        'routeKey',
        'messageId',
        'eventType',
        'extendedRequestId',
        'requestTime',
        'messageDirection',
        'stage',
        'connectedAt',
        'requestTimeEpoch',
        'identity',
        'requestId',
        'domainName',
        'connectionId',
        'apiId',
      ]);
      expect(messageEvent.requestContext).toMatchObject({
        routeKey: 'send',
        eventType: 'MESSAGE',
        messageId: expect.stringMatching(AWS_STYLE_ID),
        identity: { sourceIp: '127.0.0.1' },
        connectionId: c.connectionId,
        connectedAt: c.connectedAt,
        stage: 'dev',
      });
      expect(messageEvent.requestContext.requestId).not.toBe(c.requestId);

      const disconnectEvent = disconnectRoute.events[0];
      expect(Object.keys(disconnectEvent)).toEqual([
        'headers',
        'multiValueHeaders',
        'requestContext',
        'isBase64Encoded',
      ]);
      expect(Object.keys(disconnectEvent.requestContext)).toEqual([
        'routeKey',
        'disconnectStatusCode',
        'eventType',
        'extendedRequestId',
        'requestTime',
        'messageDirection',
        'disconnectReason',
        'stage',
        'connectedAt',
        'requestTimeEpoch',
        'identity',
        'requestId',
        'domainName',
        'connectionId',
        'apiId',
      ]);
      expect(disconnectEvent.requestContext).toMatchObject({
        routeKey: '$disconnect',
        eventType: 'DISCONNECT',
        disconnectStatusCode: 1000,
        connectionId: c.connectionId,
        identity: { userAgent: 'conformance/1.0', sourceIp: '127.0.0.1' },
      });
    });
  });

  describe('upgrade refusals', () => {
    it('answers wrong paths with 403 and non-upgrade requests with 404', async () => {
      api = await startTestApi({ routes: {} });
      const wrong = await refusal(api.url.replace(/\/test$/, '/other'));
      expect(wrong.statusCode).toBe(403);
      expect(JSON.parse(wrong.body)).toEqual({ message: 'Forbidden' });
      const res = await new Promise<number>((resolve, reject) => {
        const http = require('node:http') as typeof import('node:http');
        http
          .get(api!.connectionsEndpoint, r => {
            r.resume();
            resolve(r.statusCode!);
          })
          .on('error', reject);
      });
      expect(res).toBe(404);
    });
  });

  describe('options', () => {
    it.each([
      [{ routes: { $bogus: { integration: echo() } } }, /"\$bogus"/],
      [{ routes: { x: {} } }, /Route "x" has no integration/],
      [{ routes: {}, stage: 'a/b' }, /Invalid stage "a\/b"/],
      [{ routes: {}, basePath: 'api' }, /Invalid basePath "api"/],
      [
        { routes: {}, limits: { maxMessageBytes: -1 } },
        /limits.maxMessageBytes must be a positive integer, got -1/,
      ],
      [{ routes: {}, routeSelectionExpression: 'action' }, /"action"/],
    ])('rejects invalid options %#', async (options, message) => {
      await expect(startTestApi(options as never)).rejects.toThrow(message);
    });
  });
});
