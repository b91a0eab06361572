import { mockCredentials } from '@backstage/backend-test-utils';
import { LoopbackAws } from '@stackyard/test-support/aws';
import type { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import type { WebSocket } from 'ws';
import {
  createOrdersReplica,
  localPreview,
  publishOrders,
} from './localPreview';
import { openSocket } from './wsClient';

const skeleton = resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../templates/websocket-service/skeleton',
);

/** The WebSocket template's service, as its skeleton generates it. */
export const WEBSOCKET_MANIFEST = `service:
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

/** A WebSocket client of a preview's API and what it received. */
export type PreviewClient = { ws: WebSocket; messages: string[] };

export async function openClient(
  url: string,
  key: string,
): Promise<PreviewClient> {
  const outcome = await openSocket(url, {
    protocols: [`stackyard-key.${key}`, 'stackyard.v1'],
  });
  if (outcome.kind !== 'open')
    throw new Error(`upgrade refused: ${outcome.status} ${outcome.body}`);
  const messages: string[] = [];
  outcome.ws.on('message', data => messages.push(String(data)));
  return { ws: outcome.ws, messages };
}

/**
 * A portal (the plugin's own wiring on a loopback server, the real preview
 * runtime) with a locally published repository of the WebSocket template's
 * handlers (and `files`, e.g. a function of the test's), owned by
 * `user:default/ada`. Records every `@connections` request that reaches it
 * over HTTP.
 */
export async function startRealPreviewPortal(options: {
  knex: Knex;
  manifest?: string;
  files?: Record<string, string>;
}) {
  const root = mkdtempSync(join(tmpdir(), 'preview-portal-'));
  const aws = await LoopbackAws.start();
  const published = await publishOrders(root, {
    copies: { functions: join(skeleton, 'functions') },
    files: {
      'stackyard.yaml': options.manifest ?? WEBSOCKET_MANIFEST,
      ...options.files,
    },
  });
  let port = 0;
  const replica = await createOrdersReplica({
    knex: options.knex,
    server: aws,
    published,
    previews: {
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/stackyard`,
        getExternalBaseUrl: async () =>
          `http://127.0.0.1:${port}/api/stackyard`,
      },
    },
  });
  const connectionsOverHttp: string[] = [];
  const server: Server = createServer(replica.app);
  server.on('request', req => {
    if (req.url?.includes('/@connections/'))
      connectionsOverHttp.push(`${req.method} ${req.url}`);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const ada = mockCredentials.user.header('user:default/ada');

  return {
    server,
    replica,
    ada,
    /** `@connections` requests that reached the portal over HTTP (method and path). */
    connectionsOverHttp,
    /** Records a local preview at `stage` with `routes` of the repository's functions; its id, socket URL and a connection key. */
    async recordPreview(stage: string, routes: Record<string, string>) {
      const registered = await request(server)
        .post('/environments')
        .set('Authorization', mockCredentials.service.header())
        .send({
          ...localPreview(stage),
          commit: published.commit,
          websocket: {
            routeSelectionExpression: '$request.body.action',
            routes: Object.fromEntries(
              Object.entries(routes).map(([key, fn]) => [
                key,
                {
                  integration: { type: 'preview', function: fn },
                  response: false,
                },
              ]),
            ),
          },
        });
      const id: string = registered.body.environment.id;
      const { body } = await request(server)
        .post(`/environments/${id}/sockets/connection-key`)
        .set('Authorization', ada);
      return {
        id,
        url: `ws://127.0.0.1:${port}/sockets/${id}/${stage}`,
        /** The `@connections` endpoint its runner is given. */
        callbackUrl: `http://127.0.0.1:${port}/sockets/${id}/${stage}`,
        key: body.key as string,
      };
    },
    async close() {
      try {
        await replica.previews?.close();
        await replica.sockets.close();
        await new Promise(r => server.close(r));
      } finally {
        await aws.stop();
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
