import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import request from 'supertest';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { localPreview } from '../__testUtils__/localPreview';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica } from '../__testUtils__/replica';
import { SocketStore } from './SocketStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ada = mockCredentials.user.header('user:default/ada');
const eve = mockCredentials.user.header('user:default/eve');
const CONNECTION = 'Zm9vYmFyMTIzNDU=';

describe.each(databases.eachSupportedId())(
  'preview socket management on %s (loopback AWS)',
  databaseId => {
    let server: LoopbackAws;
    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    /** ada owns component:default/orders, whose local preview has a WebSocket API. */
    async function setup() {
      const knex = await databases.init(databaseId);
      const { permissions } = permissionsByOwnership({
        'component:default/orders': ['user:default/ada'],
      });
      const replica = await createReplica({ knex, server, permissions });
      const { environment } = await replica.store.registerDeployment({
        request: {
          ...localPreview(),
          status: 'ready',
          websocket: {
            routes: {
              $default: {
                integration: { type: 'http', url: 'http://127.0.0.1:1/x' },
              },
            },
          },
        },
        target: { name: 'local', type: 'local' },
        actor: 'user:default/ada',
      });
      const sockets = SocketStore.create({ knex });
      return { ...replica, id: environment.id, sockets };
    }

    const calls = (id: string) =>
      [
        ['POST', `/environments/${id}/sockets/connection-key`, undefined],
        ['GET', `/environments/${id}/sockets?frames=10`, undefined],
        [
          'POST',
          `/environments/${id}/sockets/connections/${CONNECTION}/messages`,
          { data: 'hi' },
        ],
        [
          'DELETE',
          `/environments/${id}/sockets/connections/${CONNECTION}`,
          undefined,
        ],
      ] as const;

    function send(
      app: Express.Application,
      [method, path, body]: readonly [string, string, object | undefined],
      header: string,
    ) {
      const req = request(app as any)
        [method.toLowerCase() as 'get' | 'post' | 'delete'](path)
        .set('Authorization', header);
      return body ? req.send(body) : req;
    }

    it("refuses every management call on another team's environment (403), changing nothing, audited as that person", async () => {
      const { app, id, sockets, auditEvents } = await setup();
      const owner = await send(app, calls(id)[0], ada);
      expect(owner.status).toBe(200);
      const keyHash = (await sockets.getApi(id))!.connectionKeyHash;

      for (const call of calls(id)) {
        const res = await send(app, call, eve);
        expect([call[0], call[1], res.status]).toEqual([call[0], call[1], 403]);
        expect(res.body.error.message).toMatch(
          /^You may not manage the preview sockets of component:default\/orders/,
        );
      }
      expect((await sockets.getApi(id))!.connectionKeyHash).toBe(keyHash);
      // Routes and connections stay readable; frames do not.
      const listed = await request(app)
        .get(`/environments/${id}/sockets?frames=0`)
        .set('Authorization', eve);
      expect(listed.status).toBe(200);
      expect(listed.body.recentFrames).toEqual([]);

      const changes = auditEvents.filter(e =>
        e.eventId.startsWith('preview-socket-'),
      );
      expect(
        changes.map(e => [e.eventId, e.outcome, (e.resultMeta as any).actor]),
      ).toEqual([
        ['preview-socket-key-rotation', 'success', 'user:default/ada'],
        ['preview-socket-key-rotation', 'fail', 'user:default/eve'],
        ['preview-socket-send', 'fail', 'user:default/eve'],
        ['preview-socket-disconnect', 'fail', 'user:default/eve'],
      ]);
    });

    it('lets the owner past the check (the unknown connection is then gone: 404)', async () => {
      const { app, id } = await setup();
      for (const call of calls(id).slice(1)) {
        const res = await send(app, call, ada);
        expect([call[0], call[1], res.status]).toEqual([
          call[0],
          call[1],
          call[0] === 'GET' ? 200 : 404,
        ]);
      }
    });

    it('refuses @connections calls with the token of a user who may not manage the sockets, audited', async () => {
      const { app, id, auditEvents } = await setup();
      const path = `/sockets/${id.toUpperCase()}/dev/@connections/${CONNECTION}`;
      const refused = await request(app)
        .post(path)
        .set('Authorization', eve)
        .send('hi');
      expect(refused.status).toBe(403);
      // The owner's token is accepted (and the upper-case id matched): the
      // connection is gone.
      const owner = await request(app)
        .post(path)
        .set('Authorization', ada)
        .send('hi');
      expect(owner.status).toBe(410);
      expect(
        auditEvents
          .filter(e => e.eventId === 'preview-socket-management')
          .map(e => [e.outcome, (e.resultMeta as any).actor]),
      ).toEqual([
        ['fail', 'user:default/eve'],
        ['success', 'user:default/ada'],
      ]);
    });
  },
);
