import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { fakePreviewRuntime } from '../__testUtils__/fakePreviewRuntime';
import {
  createOrdersReplica,
  localPreview,
  publishOrders,
} from '../__testUtils__/localPreview';
import { closed, nextMessage, openSocket } from '../__testUtils__/wsClient';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const adaHeader = mockCredentials.user.header('user:default/ada');

const route = (fn: string) => ({
  integration: { type: 'preview', function: fn },
  response: false,
});

describe.each(databases.eachSupportedId())(
  'preview sockets served by the local preview runner on %s (runtime double)',
  databaseId => {
    let aws: LoopbackAws;
    let root: string;
    let server: Server;

    beforeEach(async () => {
      aws = await LoopbackAws.start();
      root = mkdtempSync(join(tmpdir(), 'preview-sockets-'));
    });
    afterEach(async () => {
      await new Promise(r => server?.close(r));
      await aws.stop();
      rmSync(root, { recursive: true, force: true });
    });

    it('runs routes in the runner, lets handlers post to connections with the runner key and over its channel, fails a crashing handler as API Gateway does, and closes sockets at teardown', async () => {
      const published = await publishOrders(root, {
        files: { 'stackyard.yaml': 'service: {}\n' },
      });
      const { commit } = published;

      let port = 0;
      const events: Array<{
        routeKey: string;
        domainName: string;
        stage: string;
        connectionId: string;
      }> = [];
      const runtime = fakePreviewRuntime({
        connection: event => {
          events.push(event.requestContext);
          return { statusCode: 200 };
        },
        message: async (event, options) => {
          const body = JSON.parse(event.body);
          if (body.crash) throw new Error('handler crashed');
          // What @aws-sdk/client-apigatewaymanagementapi sends: a SigV4
          // Authorization whose access key id is the runner's key.
          const callback = new URL(options.env!.WEBSOCKET_CALLBACK_URL);
          const res = await fetch(
            `http://127.0.0.1:${port}${
              callback.pathname
            }/@connections/${encodeURIComponent(
              event.requestContext.connectionId,
            )}`,
            {
              method: 'POST',
              headers: {
                authorization: `AWS4-HMAC-SHA256 Credential=${
                  options.env!.AWS_ACCESS_KEY_ID
                }/20261130/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00`,
              },
              body: JSON.stringify({ echo: body.data }),
            },
          );
          if (res.status !== 200) throw new Error(`post failed: ${res.status}`);
          return { statusCode: 200 };
        },
      });
      const knex = await databases.init(databaseId);
      const replica = await createOrdersReplica({
        knex,
        server: aws,
        published,
        previews: {
          start: runtime.start,
          synthesize: async () => ({ manifest: {}, template: {} }),
        },
      });
      server = createServer(replica.app);
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;

      const registered = await request(server)
        .post('/environments')
        .set('Authorization', mockCredentials.service.header())
        .send({
          ...localPreview(),
          commit,
          websocket: {
            routes: {
              $connect: route('connection'),
              $disconnect: route('connection'),
              $default: route('message'),
            },
          },
        });
      expect(registered.status).toBe(201);
      const id = registered.body.environment.id;
      const { body: keyBody } = await request(server)
        .post(`/environments/${id}/sockets/connection-key`)
        .set('Authorization', adaHeader);

      const outcome = await openSocket(
        `ws://127.0.0.1:${port}/sockets/${id}/dev`,
        {
          protocols: [`stackyard-key.${keyBody.key}`, 'stackyard.v1'],
        },
      );
      expect(outcome.kind).toBe('open');
      if (outcome.kind !== 'open') return;
      const ws = outcome.ws;
      // $connect started the runner lazily and ran in it.
      expect(runtime.starts).toHaveLength(1);
      expect(events[0]).toMatchObject({ routeKey: '$connect', stage: 'dev' });

      const echoed = nextMessage(ws);
      ws.send(JSON.stringify({ data: 'hello' }));
      expect(JSON.parse(await echoed)).toEqual({ echo: 'hello' });

      // A handler that throws fails the message as API Gateway fails a Lambda error.
      const failure = nextMessage(ws);
      ws.send(JSON.stringify({ crash: true }));
      expect(JSON.parse(await failure)).toMatchObject({
        message: 'Internal server error',
      });

      // The runner's channel: its calls run on this environment's API.
      const channel = runtime.starts[0].connections!;
      expect(channel).toMatchObject({
        endpoint: runtime.starts[0].env!.WEBSOCKET_CALLBACK_URL,
        accessKeyId: runtime.starts[0].env!.AWS_ACCESS_KEY_ID,
      });
      const overChannel = nextMessage(ws);
      await channel.post(events[0].connectionId, Buffer.from('via channel'));
      expect(await overChannel).toBe('via channel');
      await expect(
        channel.post('not-a-connection', Buffer.from('x')),
      ).rejects.toMatchObject({ errorType: 'GoneException', statusCode: 410 });

      // Another key is refused for @connections.
      const forged = await fetch(
        `http://127.0.0.1:${port}/sockets/${id}/dev/@connections/x`,
        {
          method: 'POST',
          headers: {
            authorization:
              'AWS4-HMAC-SHA256 Credential=SYPforged/20261130/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
          },
          body: 'x',
        },
      );
      expect(forged.status).toBe(403);

      // The runner's key is its own preview's only: another preview's
      // @connections refuse it, loaded or not.
      const runnerKey = runtime.starts[0].env!.AWS_ACCESS_KEY_ID;
      const signedWith = (key: string) =>
        `AWS4-HMAC-SHA256 Credential=${key}/20261130/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00`;
      const other = await request(server)
        .post('/environments')
        .set('Authorization', mockCredentials.service.header())
        .send({
          ...localPreview(),
          prefix: 'other',
          stackName: 'other-dev',
          commit,
          websocket: { routes: { $default: route('message') } },
        });
      expect(other.status).toBe(201);
      const otherId = other.body.environment.id;
      for (let i = 0; i < 2; i++) {
        const crossed = await fetch(
          `http://127.0.0.1:${port}/sockets/${otherId}/dev/@connections/x`,
          {
            method: 'POST',
            headers: { authorization: signedWith(runnerKey) },
            body: 'x',
          },
        );
        expect(crossed.status).toBe(403);
      }

      const teardown = await request(server)
        .post(`/environments/${id}/teardown`)
        .set('Authorization', adaHeader);
      expect(teardown.status).toBe(202);
      await closed(ws);
      expect(runtime.stopped).toHaveLength(1);
      const after = await openSocket(
        `ws://127.0.0.1:${port}/sockets/${id}/dev`,
        {
          protocols: [`stackyard-key.${keyBody.key}`, 'stackyard.v1'],
        },
      );
      expect(after).toMatchObject({ kind: 'refused', status: 404 });
      // Nor does the stopped runner's key reach the torn-down API.
      const late = await fetch(
        `http://127.0.0.1:${port}/sockets/${id}/dev/@connections/x`,
        {
          method: 'POST',
          headers: { authorization: signedWith(runnerKey) },
          body: 'x',
        },
      );
      expect(late.status).toBe(404);
      // Its channel reaches nothing either: the call would go over HTTP.
      await expect(
        channel.post(events[0].connectionId, Buffer.from('x')),
      ).rejects.toThrow(`no API of ${id} is loaded`);
      await replica.previews?.close();
      await replica.sockets.close();
    });
  },
);
