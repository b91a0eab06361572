import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { WebSocket } from 'ws';
import { localPreview } from '../__testUtils__/localPreview';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(120_000);

// On SQLite only: the database plays no part in what runs.
const databases = createTestDatabases();

const skeleton = resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../templates/websocket-service/skeleton',
);

const MANIFEST = `service:
  name: orders
  project: orders
  costCenter: cc-1234
  owner: component:default/orders
functions:
  connection:
    handler: index.handler
    code: functions/connection
    timeout: 5
    memorySize: 128
    reservedConcurrency: 10
  message:
    handler: index.handler
    code: functions/message
    timeout: 10
    memorySize: 256
    reservedConcurrency: 10
tables:
  connections:
    partitionKey: { name: connectionId, type: string }
    timeToLiveAttribute: expiresAt
    readers: [message]
    writers: [connection, message]
websocket:
  routeSelectionExpression: $request.body.action
  routes:
    $connect: connection
    $disconnect: connection
    $default: message
    publish: message
`;

function client(url: string, key: string) {
  return new Promise<{ ws: WebSocket; messages: string[] }>(
    (resolveOpen, reject) => {
      const ws = new WebSocket(url, [`stackyard-key.${key}`, 'stackyard.v1']);
      const messages: string[] = [];
      ws.on('message', data => messages.push(String(data)));
      ws.once('open', () => resolveOpen({ ws, messages }));
      ws.once('error', reject);
    },
  );
}

describe('preview sockets on the real runtime (WebSocket template handlers)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise(r => (server ? server.close(r) : r(undefined)));
  });

  it('routes subscribe and publish between two clients through the generated handlers and @connections', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preview-ws-real-'));
    const aws = await LoopbackAws.start();
    try {
      const repoDir = join(root, 'repos', 'orders');
      cpSync(join(skeleton, 'functions'), join(repoDir, 'functions'), {
        recursive: true,
      });
      writeFileSync(join(repoDir, 'stackyard.yaml'), MANIFEST);
      const git = (...args: string[]) =>
        execFileSync(
          'git',
          ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
          { cwd: repoDir, encoding: 'utf8' },
        ).trim();
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-q', '-m', 'first');
      const commit = git('rev-parse', 'HEAD');
      let port = 0;
      const replica = await createReplica({
        knex: await databases.init('SQLITE_3'),
        server: aws,
        permissions: permissionsByOwnership({
          'component:default/orders': ['user:default/ada'],
        }).permissions,
        localPublishDirectory: join(root, 'repos'),
        catalog: catalogServiceMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'orders',
                annotations: {
                  'backstage.io/managed-by-location': `stackyard-local:${repoDir}/catalog-info.yaml`,
                },
              },
              spec: {
                type: 'service',
                owner: 'user:default/ada',
                lifecycle: 'experimental',
              },
            },
          ],
        }),
        previews: {
          config: { dataDirectory: join(root, 'data') },
          discovery: {
            getBaseUrl: async () => `http://localhost:${port}/api/stackyard`,
            getExternalBaseUrl: async () =>
              `http://127.0.0.1:${port}/api/stackyard`,
          },
        },
      });
      server = createServer(replica.app);
      await new Promise<void>(r => server!.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
      try {
        const socket = (fn: string) => ({
          integration: { type: 'preview', function: fn },
          response: false,
        });
        const registered = await request(server)
          .post('/environments')
          .set('Authorization', mockCredentials.service.header())
          .send({
            ...localPreview(),
            commit,
            websocket: {
              routeSelectionExpression: '$request.body.action',
              routes: {
                $connect: socket('connection'),
                $disconnect: socket('connection'),
                $default: socket('message'),
                publish: socket('message'),
              },
            },
          });
        const id = registered.body.environment.id;
        const ada = mockCredentials.user.header('user:default/ada');
        const { body } = await request(server)
          .post(`/environments/${id}/sockets/connection-key`)
          .set('Authorization', ada);
        const url = `ws://127.0.0.1:${port}/sockets/${id}/dev`;
        const subscriber = await client(url, body.key);
        const publisher = await client(url, body.key);
        subscriber.ws.send(
          JSON.stringify({ action: 'subscribe', channel: 'news' }),
        );
        let received: string | undefined;
        for (let i = 0; i < 40 && !received; i++) {
          publisher.ws.send(
            JSON.stringify({ action: 'publish', channel: 'news', data: i }),
          );
          await new Promise(r => setTimeout(r, 250));
          received = subscriber.messages[0];
        }
        const logs = (
          await request(server)
            .get(`/environments/${id}/logs`)
            .set('Authorization', ada)
        ).body;
        expect({ received, publisher: publisher.messages }).toMatchObject({
          received: expect.stringContaining('"channel":"news"'),
        });
        expect(logs.tables).toEqual([expect.objectContaining({ items: 2 })]);
        subscriber.ws.close();
        publisher.ws.close();
      } finally {
        await replica.previews?.close();
        await replica.sockets.close();
      }
    } finally {
      await aws.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
