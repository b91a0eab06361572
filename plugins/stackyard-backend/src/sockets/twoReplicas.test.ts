import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { createTestDatabases } from '@stackyard/test-support';
import { knex as createKnex, Knex } from 'knex';
import request from 'supertest';
import { startIntegrationServer } from '../__testUtils__/integrationServer';
import { closed, nextMessage, openSocket } from '../__testUtils__/wsClient';
import { stackyardPlugin } from '../plugin';
import { localPreview } from '../__testUtils__/localPreview';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Polls `condition` until it holds (a fail-safe cap, not a timing assertion). */
async function eventually<T>(
  condition: () => Promise<T | undefined | false>,
): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await condition();
    if (value) return value;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

/**
 * The events wiring of a replica. On PostgreSQL: the portal's own, the
 * events backend whose bus runs on the shared database. On embedded SQLite
 * (one process, one machine): one in-process bus shared by both instances.
 */
function eventsFeatures(databaseId: string, shared: unknown) {
  if (databaseId.startsWith('POSTGRES')) {
    return [eventsPlugin, eventsServiceFactory];
  }
  return [
    createServiceFactory({
      service: eventsServiceRef,
      deps: {},
      factory: () => shared as any,
    }) as ServiceFactory,
  ];
}

describe.each(databases.eachSupportedId())(
  'preview sockets on two backend instances sharing one %s database',
  databaseId => {
    it('delivers @connections and inspector calls to the replica holding the socket', async () => {
      const knexA = await databases.init(databaseId);
      const knexB: Knex = databaseId.startsWith('POSTGRES')
        ? createKnex(knexA.client.config)
        : knexA;
      const integration = await startIntegrationServer();
      const sharedBus = mockServices.events();
      const start = (knex: Knex) =>
        startTestBackend({
          features: [
            stackyardPlugin,
            ...eventsFeatures(databaseId, sharedBus),
            mockServices.database.factory({ knex }),
            mockServices.scheduler.factory(),
            // The events backend answers long polls quickly, so replicas stop quickly.
            mockServices.rootConfig.factory({
              data: { events: { notifyTimeoutMs: 1000 } },
            }),
          ],
        });
      const a = await start(knexA);
      const b = await start(knexB);
      try {
        if (databaseId.startsWith('POSTGRES')) {
          // Both replicas have their bus subscription before anything is sent.
          await eventually(async () => {
            const rows = await knexA('event_bus_subscriptions')
              .where('id', 'like', 'stackyard.preview-sockets.%')
              .count({ n: '*' });
            return Number(rows[0].n) >= 2;
          });
        }

        const registered = await request(a.server)
          .post('/api/stackyard/environments')
          .set('Authorization', mockCredentials.service.header())
          .send({
            ...localPreview(),
            websocket: {
              routes: {
                $connect: {
                  integration: { type: 'http', url: integration.url },
                },
                $default: {
                  integration: { type: 'http', url: integration.url },
                },
              },
            },
          });
        expect(registered.status).toBe(201);
        const id = registered.body.environment.id;
        const { body: keyBody } = await request(b.server)
          .post(`/api/stackyard/environments/${id}/sockets/connection-key`)
          .set('Authorization', mockCredentials.user.header());
        const key: string = keyBody.key;

        // The client holds its socket on replica A.
        const outcome = await openSocket(
          `ws://127.0.0.1:${a.server.port()}/api/stackyard/sockets/${id}/dev`,
          { headers: { 'x-stackyard-connection-key': key } },
        );
        if (outcome.kind !== 'open')
          throw new Error(`refused ${outcome.status}`);
        const { ws } = outcome;
        const connectionId = integration.events.find(
          e => e.requestContext.routeKey === '$connect',
        )!.requestContext.connectionId;
        await eventually(async () =>
          knexB('stackyard_socket_connections')
            .where({ connection_id: connectionId })
            .first(),
        );

        // @connections on replica B reaches the socket on A over the events bus.
        const onB = `http://127.0.0.1:${b.server.port()}/api/stackyard/sockets/${id}/dev/@connections/${encodeURIComponent(
          connectionId,
        )}`;
        const auth = { 'x-stackyard-connection-key': key };
        const pushed = nextMessage(ws);
        const post = await fetch(onB, {
          method: 'POST',
          headers: auth,
          body: 'via replica B',
        });
        expect(post.status).toBe(200);
        await expect(pushed).resolves.toBe('via replica B');

        const info = await fetch(onB, { headers: auth });
        expect(info.status).toBe(200);
        expect(await info.json()).toMatchObject({
          identity: { sourceIp: '127.0.0.1' },
        });

        // B's inspector lists the connection held by A and sends to it.
        const inspected = await request(b.server)
          .get(`/api/stackyard/environments/${id}/sockets`)
          .set('Authorization', mockCredentials.user.header());
        expect(inspected.status).toBe(200);
        expect(
          inspected.body.connections.map(
            (c: { connectionId: string }) => c.connectionId,
          ),
        ).toEqual([connectionId]);
        const sent = nextMessage(ws);
        const send = await request(b.server)
          .post(
            `/api/stackyard/environments/${id}/sockets/connections/${encodeURIComponent(
              connectionId,
            )}/messages`,
          )
          .set('Authorization', mockCredentials.user.header())
          .send({ data: 'aGVsbG8=', isBase64Encoded: true });
        expect(send.status).toBe(204);
        await expect(sent).resolves.toBe('hello');

        // DELETE on B closes the socket on A; afterwards it is gone everywhere.
        const gone = closed(ws);
        const del = await fetch(onB, { method: 'DELETE', headers: auth });
        expect(del.status).toBe(204);
        await expect(gone).resolves.toBe(1000);
        await eventually(
          async () =>
            !(await knexB('stackyard_socket_connections')
              .where({ connection_id: connectionId })
              .first()),
        );
        const after = await fetch(onB, {
          method: 'POST',
          headers: auth,
          body: 'late',
        });
        expect(after.status).toBe(410);
        expect(after.headers.get('x-amzn-errortype')).toBe('GoneException');
      } finally {
        await b.stop();
        await a.stop();
        await integration.stop();
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  },
);
