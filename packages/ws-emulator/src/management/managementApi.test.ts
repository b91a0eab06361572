import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  ForbiddenException,
  GetConnectionCommand,
  GoneException,
  LimitExceededException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { StandaloneServer } from '../standalone';
import {
  connect,
  eventually,
  recorder,
  startTestApi,
} from '../testing/harness';

jest.setTimeout(30_000);

function sdk(endpoint: string) {
  return new ApiGatewayManagementApiClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

describe('@connections management API with the AWS SDK', () => {
  let api: StandaloneServer | undefined;
  let client: ApiGatewayManagementApiClient | undefined;
  afterEach(async () => {
    client?.destroy();
    client = undefined;
    await api?.close();
    api = undefined;
  });

  it('posts, describes and deletes a connection on both endpoint forms', async () => {
    const disconnect = recorder();
    api = await startTestApi({
      stage: 'dev',
      routes: { $disconnect: { integration: disconnect } },
    });
    const ws = await connect(api.url, {
      headers: { 'User-Agent': 'sdk-test' },
    });
    const [{ connectionId }] = api.emulator.listConnections();

    for (const endpoint of [
      api.connectionsEndpoint,
      api.connectionsEndpoint.replace(/\/dev$/, ''),
    ]) {
      client = sdk(endpoint);
      await client.send(
        new PostToConnectionCommand({
          ConnectionId: connectionId,
          Data: Buffer.from(endpoint),
        }),
      );
      client.destroy();
    }
    expect(await ws.message(0)).toBe(api.connectionsEndpoint);
    expect((await ws.frame(1)).isBinary).toBe(false);

    client = sdk(api.connectionsEndpoint);
    await client.send(
      new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: Buffer.from([0xff, 0x00]),
      }),
    );
    const binary = await ws.frame(2);
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([0xff, 0x00]);

    const info = await client.send(
      new GetConnectionCommand({ ConnectionId: connectionId }),
    );
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.LastActiveAt).toBeInstanceOf(Date);
    expect(info.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(
      info.ConnectedAt!.getTime(),
    );
    expect(info.Identity).toEqual({
      SourceIp: '127.0.0.1',
      UserAgent: 'sdk-test',
    });

    await client.send(
      new DeleteConnectionCommand({ ConnectionId: connectionId }),
    );
    expect((await ws.closed).code).toBe(1000);
    await eventually(() => disconnect.events.length === 1, '$disconnect');
    expect(disconnect.events[0].requestContext.disconnectStatusCode).toBe(1000);

    for (const command of [
      new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: Buffer.from('x'),
      }),
      new GetConnectionCommand({ ConnectionId: connectionId }),
      new DeleteConnectionCommand({ ConnectionId: connectionId }),
    ]) {
      const error = await client.send(command as never).catch(e => e);
      expect(error).toBeInstanceOf(GoneException);
      expect(error.$metadata.httpStatusCode).toBe(410);
    }
  });

  it('raises PayloadTooLargeException over the message limit', async () => {
    api = await startTestApi({
      routes: {},
      limits: { maxMessageBytes: 1024, maxFrameBytes: 1024 },
    });
    const ws = await connect(api.url);
    const [{ connectionId }] = api.emulator.listConnections();
    client = sdk(api.connectionsEndpoint);
    const error = await client
      .send(
        new PostToConnectionCommand({
          ConnectionId: connectionId,
          Data: Buffer.alloc(1025, 97),
        }),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(PayloadTooLargeException);
    expect(error.$metadata.httpStatusCode).toBe(413);
    await client.send(
      new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: Buffer.alloc(1024, 97),
      }),
    );
    expect((await ws.message(0)).length).toBe(1024);
    await ws.close();
  });

  it('raises LimitExceededException when a slow client fills its send buffer', async () => {
    api = await startTestApi({
      routes: {},
      limits: { maxBufferedBytes: 256 * 1024 },
    });
    const ws = await connect(api.url);
    ws.ws.pause();
    const [{ connectionId }] = api.emulator.listConnections();
    client = sdk(api.connectionsEndpoint);
    const chunk = Buffer.alloc(100 * 1024, 97);
    const postUntilRefused = async (): Promise<unknown> => {
      for (let sent = 0; sent < 2000; sent++) {
        try {
          await client!.send(
            new PostToConnectionCommand({
              ConnectionId: connectionId,
              Data: chunk,
            }),
          );
        } catch (e) {
          return e;
        }
      }
      return undefined;
    };
    const error = await postUntilRefused();
    expect(error).toBeInstanceOf(LimitExceededException);
    expect((error as LimitExceededException).$metadata.httpStatusCode).toBe(
      429,
    );
    const [summary] = api.emulator.listConnections();
    expect(summary.bufferedBytes).toBeLessThanOrEqual(256 * 1024);
    expect(summary.droppedFrames).toBe(1);
    ws.ws.terminate();
  });

  it('raises ForbiddenException for another stage and when the hook refuses', async () => {
    api = await startTestApi({
      stage: 'dev',
      routes: {},
      authorizeManagementRequest: req => req.headers['x-deny'] === undefined,
    });
    const ws = await connect(api.url);
    const [{ connectionId }] = api.emulator.listConnections();
    client = sdk(api.connectionsEndpoint.replace(/\/dev$/, '/prod'));
    const wrongStage = await client
      .send(new GetConnectionCommand({ ConnectionId: connectionId }))
      .catch(e => e);
    expect(wrongStage).toBeInstanceOf(ForbiddenException);
    client.destroy();

    client = sdk(api.connectionsEndpoint);
    client.middlewareStack.add(
      next => args => {
        (args.request as { headers: Record<string, string> }).headers[
          'x-deny'
        ] = '1';
        return next(args);
      },
      { step: 'build' },
    );
    const denied = await client
      .send(new GetConnectionCommand({ ConnectionId: connectionId }))
      .catch(e => e);
    expect(denied).toBeInstanceOf(ForbiddenException);
    expect(denied.$metadata.httpStatusCode).toBe(403);
    await ws.close();
  });
});
