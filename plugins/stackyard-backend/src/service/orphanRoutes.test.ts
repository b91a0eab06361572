import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { createReplica } from '../__testUtils__/replica';
import { switchableCatalog } from '../__testUtils__/switchableCatalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** A member of the platform admin groups. */
const adminHeader = mockCredentials.user.header('user:default/ada');
/** Anybody else. */
const eveHeader = mockCredentials.user.header('user:default/eve');

/** The shipped policy's rule, decided by who asks: ada is the admin. */
const adminOnlyPermissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(() => ({
      result:
        (options?.credentials.principal as { userEntityRef?: string })
          .userEntityRef === 'user:default/ada'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
});

const tags = (entityRef: string, prefix: string, stage: string) => ({
  'stackyard:entity-ref': entityRef,
  'stackyard:prefix': prefix,
  'stackyard:stage': stage,
});

describe.each(databases.eachSupportedId())(
  'orphan routes on %s with a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    async function replicaWithOrphans() {
      const { catalog, present } = switchableCatalog([]);
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
        permissions: adminOnlyPermissions,
        catalog,
      });
      server.cloudFormation.addStack({
        name: 'wo-70-dev',
        status: 'CREATE_COMPLETE',
        tags: tags('not an entity', 'wo-70', 'dev'),
      });
      server.cloudFormation.addStack({
        name: 'wo-71-prod',
        status: 'CREATE_COMPLETE',
        tags: tags('not an entity', 'wo-71', 'prod'),
      });
      server.cloudFormation.addStack({
        name: 'wo-72-dev',
        status: 'CREATE_COMPLETE',
        terminationProtection: true,
        tags: tags('', 'wo-72', 'dev'),
      });
      // Discovered, then its entity is not in the (empty) catalog.
      server.cloudFormation.addStack({
        name: 'wo-73-dev',
        status: 'CREATE_COMPLETE',
        tags: tags('component:default/gone', 'wo-73', 'dev'),
      });
      await replica.reconciler.reconcileOnce();
      const { items } = await replica.orphans.listOrphans({ limit: 50 });
      const orphan = (name: string) => items.find(o => o.stackName === name)!;
      return { replica, orphan, present };
    }

    it('lists orphans, paginated, as the spec says', async () => {
      const { replica } = await replicaWithOrphans();
      const all = expectConforms(
        'get',
        '/orphans',
        await request(replica.app)
          .get('/orphans')
          .set('Authorization', eveHeader),
      );
      expect(all.status).toBe(200);
      expect(
        all.body.items.map((o: any) => [o.stackName, o.kind, o.protected]),
      ).toEqual(
        expect.arrayContaining([
          ['wo-70-dev', 'unreadable-tags', false],
          ['wo-71-prod', 'unreadable-tags', true],
          ['wo-72-dev', 'unreadable-tags', true],
          ['wo-73-dev', 'missing-entity', false],
        ]),
      );
      const page = await request(replica.app)
        .get('/orphans?limit=3&target=sandbox')
        .set('Authorization', eveHeader);
      expect(page.body.items).toHaveLength(3);
      const rest = await request(replica.app)
        .get(`/orphans?limit=3&cursor=${page.body.nextCursor}`)
        .set('Authorization', eveHeader);
      expect(rest.body.items).toHaveLength(1);
      expect(rest.body.nextCursor).toBeUndefined();
      const bad = await request(replica.app)
        .get('/orphans?limit=0')
        .set('Authorization', eveHeader);
      expect(bad.status).toBe(400);
      const anonymous = await request(replica.app)
        .get('/orphans')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });

    it('tears an orphan stack with unreadable tags down as a platform admin: deleted on the loopback endpoint, followed like any teardown, audited', async () => {
      const { replica, orphan } = await replicaWithOrphans();
      const target = orphan('wo-70-dev');
      const res = expectConforms(
        'post',
        '/orphans/{id}/teardown',
        await request(replica.app)
          .post(`/orphans/${target.id.toUpperCase()}/teardown`)
          .set('Authorization', adminHeader),
      );
      expect(res.status).toBe(202);
      const { operation } = res.body;
      expect(operation).toMatchObject({
        type: 'teardown',
        actor: 'user:default/ada',
      });
      expect(server.cloudFormation.stacks.get('wo-70-dev')?.status).toBe(
        'DELETE_IN_PROGRESS',
      );
      const environment = await replica.store.getEnvironment(
        operation.environmentId,
      );
      expect(environment).toMatchObject({
        entityRef: 'stackyard:orphan',
        stackName: 'wo-70-dev',
        status: 'deleting',
        createdBy: 'user:default/ada',
        entityMissingSince: expect.any(String),
      });
      expect(replica.auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'orphan-teardown',
          outcome: 'success',
          meta: expect.objectContaining({ actor: 'user:default/ada' }),
          resultMeta: expect.objectContaining({
            permission: 'stackyard.orphan.delete',
            stackName: 'wo-70-dev',
            operationId: operation.id,
          }),
        }),
      );

      // Asked again while it runs: the same operation.
      const again = await request(replica.app)
        .post(`/orphans/${target.id}/teardown`)
        .set('Authorization', adminHeader);
      expect(again.status).toBe(202);
      expect(again.body.operation.id).toBe(operation.id);

      // While it is deleted, the next cycle keeps listing it once, with the
      // environment that follows its teardown.
      await replica.reconciler.reconcileOnce();
      const during = (
        await replica.orphans.listOrphans({ limit: 50 })
      ).items.filter(o => o.stackName === 'wo-70-dev');
      expect(during).toEqual([
        expect.objectContaining({
          id: target.id,
          kind: 'unreadable-tags',
          environmentId: operation.environmentId,
        }),
      ]);

      server.cloudFormation.completeDeletion('wo-70-dev');
      await replica.tracker.trackOnce();
      expect(await replica.store.getOperation(operation.id)).toMatchObject({
        state: 'succeeded',
      });
      expect(
        (await replica.store.getEnvironment(operation.environmentId))?.status,
      ).toBe('deleted');
      await replica.reconciler.reconcileOnce();
      const { items } = await replica.orphans.listOrphans({ limit: 50 });
      expect(items.map(o => o.stackName)).not.toContain('wo-70-dev');
    });

    it('answers with the failed operation, audited as failed, when CloudFormation refuses DeleteStack (loopback)', async () => {
      const { replica, orphan } = await replicaWithOrphans();
      server.throttle.DeleteStack = 100;
      const res = await request(replica.app)
        .post(`/orphans/${orphan('wo-70-dev').id}/teardown`)
        .set('Authorization', adminHeader);
      expect(res.status).toBe(202);
      expect(res.body.operation).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(/CloudFormation refused DeleteStack/),
      });
      expect(server.cloudFormation.stacks.get('wo-70-dev')?.status).toBe(
        'CREATE_COMPLETE',
      );
      expect(
        replica.auditEvents.filter(e => e.eventId === 'orphan-teardown'),
      ).toEqual([
        expect.objectContaining({
          outcome: 'fail',
          error: expect.stringMatching(/CloudFormation refused DeleteStack/),
        }),
      ]);
    });

    it("tears down a discovered environment whose entity left the catalog through the environment's own row", async () => {
      const { replica, orphan } = await replicaWithOrphans();
      const target = orphan('wo-73-dev');
      const res = await request(replica.app)
        .post(`/orphans/${target.id}/teardown`)
        .set('Authorization', adminHeader);
      expect(res.status).toBe(202);
      expect(res.body.operation.environmentId).toBe(target.environmentId);
      expect(server.cloudFormation.stacks.get('wo-73-dev')?.status).toBe(
        'DELETE_IN_PROGRESS',
      );
      expect(replica.messages).toContainEqual({
        kind: 'operation',
        id: res.body.operation.id,
        status: 'pending',
      });
    });

    it('refuses a caller without stackyard.orphan.delete with 403 and changes nothing', async () => {
      const { replica, orphan } = await replicaWithOrphans();
      const before = await replica.store.listEnvironments({ limit: 50 });
      for (const name of ['wo-70-dev', 'wo-73-dev']) {
        const res = expectConforms(
          'post',
          '/orphans/{id}/teardown',
          await request(replica.app)
            .post(`/orphans/${orphan(name).id}/teardown`)
            .set('Authorization', eveHeader),
        );
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/stackyard\.orphan\.delete/);
      }
      // Unknown ids are refused alike: a refused caller learns nothing.
      const unknown = await request(replica.app)
        .post('/orphans/00000000-0000-4000-8000-000000000000/teardown')
        .set('Authorization', eveHeader);
      expect(unknown.status).toBe(403);

      expect(server.callCount.DeleteStack ?? 0).toBe(0);
      expect(server.cloudFormation.stacks.get('wo-70-dev')?.status).toBe(
        'CREATE_COMPLETE',
      );
      expect(await replica.store.listEnvironments({ limit: 50 })).toEqual(
        before,
      );
      expect(orphan('wo-70-dev').environmentId).toBeUndefined();
      expect(
        (await replica.orphans.getOrphan(orphan('wo-70-dev').id))
          ?.environmentId,
      ).toBeUndefined();
      expect(
        replica.auditEvents.filter(e => e.eventId === 'orphan-teardown'),
      ).toEqual(
        Array(3).fill(
          expect.objectContaining({
            outcome: 'fail',
            meta: expect.objectContaining({ actor: 'user:default/eve' }),
          }),
        ),
      );
    });

    it('refuses protected orphans (protected stage, termination protection) with 409 and changes nothing', async () => {
      const { replica, orphan } = await replicaWithOrphans();
      for (const [name, reason] of [
        ['wo-71-prod', /stage "prod" is a protected stage/],
        ['wo-72-dev', /termination protection/],
      ] as const) {
        const res = expectConforms(
          'post',
          '/orphans/{id}/teardown',
          await request(replica.app)
            .post(`/orphans/${orphan(name).id}/teardown`)
            .set('Authorization', adminHeader),
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(reason);
        expect(server.cloudFormation.stacks.get(name)?.status).toBe(
          'CREATE_COMPLETE',
        );
      }
      expect(server.callCount.DeleteStack ?? 0).toBe(0);
      const environments = await replica.store.listEnvironments({ limit: 50 });
      expect(environments.items.map(e => e.stackName)).toEqual(['wo-73-dev']);
    });

    it('refuses the orphan of an entity that came back to the catalog with 409', async () => {
      const { replica, orphan, present } = await replicaWithOrphans();
      const target = orphan('wo-73-dev');
      present.add('component:default/gone');
      // The orphan list is refreshed by the next cycle; until then the
      // request is judged on the environment itself.
      await replica.store.markMissingEntities([], new Date());
      const res = await request(replica.app)
        .post(`/orphans/${target.id}/teardown`)
        .set('Authorization', adminHeader);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/back in the catalog/);
      expect(server.callCount.DeleteStack ?? 0).toBe(0);
    });

    it('answers 404 for an unknown orphan and 400 for an invalid id', async () => {
      const { replica } = await replicaWithOrphans();
      const missing = await request(replica.app)
        .post('/orphans/00000000-0000-4000-8000-000000000000/teardown')
        .set('Authorization', adminHeader);
      expect(missing.status).toBe(404);
      const invalid = await request(replica.app)
        .post('/orphans/not-a-uuid/teardown')
        .set('Authorization', adminHeader);
      expect(invalid.status).toBe(400);
    });
  },
);
