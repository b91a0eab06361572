import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';
import { switchableCatalog } from '../__testUtils__/switchableCatalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const tags = (
  entityRef: string,
  prefix: string,
  stage: string,
  extra: Record<string, string> = {},
) => ({
  'stackyard:entity-ref': entityRef,
  'stackyard:template': 'websocket-service@1.0.0',
  'stackyard:prefix': prefix,
  'stackyard:stage': stage,
  ...extra,
});

describe.each(databases.eachSupportedId())(
  'Orphan stacks on %s against a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    it('lists stacks whose Stackyard tags cannot be adopted, ignores untagged and foreign stacks, and drops an orphan once its stack is deleted (loopback)', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      server.cloudFormation.addStack({
        name: 'wo-50-dev',
        status: 'CREATE_COMPLETE',
        tags: tags('not an entity ref', 'wo-50', 'dev'),
      });
      server.cloudFormation.addStack({
        name: 'wo-51-dev',
        status: 'UPDATE_COMPLETE',
        tags: tags('component:default/orders', 'wo-99', 'dev'),
      });
      server.cloudFormation.addStack({
        name: 'plain-dev',
        status: 'CREATE_COMPLETE',
      });
      server.cloudFormation.addStack({
        name: 'foreign-dev',
        status: 'CREATE_COMPLETE',
        tags: { 'other-tool:owner': 'someone', Project: 'x' },
      });
      server.cloudFormation.addStack({
        name: 'wo-52-dev',
        status: 'CREATE_COMPLETE',
        tags: tags('component:default/orders', 'wo-52', 'dev', {
          CostCenter: 'cc-1234',
        }),
      });

      const stats = await replica.reconciler.reconcileOnce();
      expect(stats).toMatchObject({ discovered: 1, orphanCandidates: 2 });
      const first = await replica.orphans.listOrphans({ limit: 50 });
      expect(
        first.items.map(o => [o.kind, o.stackName, o.entityRef, o.protected]),
      ).toEqual(
        expect.arrayContaining([
          ['unreadable-tags', 'wo-50-dev', undefined, false],
          ['unreadable-tags', 'wo-51-dev', 'component:default/orders', false],
        ]),
      );
      expect(first.items).toHaveLength(2);
      const byName = new Map(first.items.map(o => [o.stackName, o]));
      expect(byName.get('wo-50-dev')).toMatchObject({
        target: 'sandbox',
        accountId: server.account,
        region: server.region,
        stackStatus: 'CREATE_COMPLETE',
        reason: expect.stringMatching(/entityRef: must be a full entity ref/),
      });
      expect(byName.get('wo-51-dev')?.reason).toMatch(
        /name "wo-99-dev", not "wo-51-dev"/,
      );
      // The adopted stack carries its cost center.
      const adopted = await replica.store.listEnvironments({
        costCenter: 'cc-1234',
        limit: 10,
      });
      expect(adopted.items.map(e => e.stackName)).toEqual(['wo-52-dev']);

      // The next cycle keeps each orphan, first seen as before.
      await replica.reconciler.reconcileOnce();
      const second = await replica.orphans.listOrphans({ limit: 50 });
      expect(second.items.map(o => [o.id, o.firstSeenAt]).sort()).toEqual(
        first.items.map(o => [o.id, o.firstSeenAt]).sort(),
      );

      // Deleted outside Stackyard: no longer an orphan.
      server.cloudFormation.stacks.get('wo-50-dev')!.status =
        'DELETE_IN_PROGRESS';
      server.cloudFormation.completeDeletion('wo-50-dev');
      await replica.reconciler.reconcileOnce();
      const third = await replica.orphans.listOrphans({ limit: 50 });
      expect(third.items.map(o => o.stackName)).toEqual(['wo-51-dev']);
    });

    it('pages orphans and filters them by target', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      for (let i = 0; i < 5; i++) {
        server.cloudFormation.addStack({
          name: `bad${i}-dev`,
          status: 'CREATE_COMPLETE',
          tags: tags('nope', `bad${i}`, 'dev'),
        });
      }
      await replica.reconciler.reconcileOnce();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await replica.orphans.listOrphans({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map(o => o.stackName));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([
        'bad0-dev',
        'bad1-dev',
        'bad2-dev',
        'bad3-dev',
        'bad4-dev',
      ]);
      expect(
        (await replica.orphans.listOrphans({ target: 'other', limit: 10 }))
          .items,
      ).toEqual([]);
    });

    it('flags environments whose entity left the catalog, lists them as orphans, and clears the flag when it returns (loopback)', async () => {
      const { catalog, present, state } = switchableCatalog([
        'component:default/orders',
        'component:default/billing',
      ]);
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
        catalog,
      });
      const target = loopbackTarget(server);
      const { environment: orders } = await replica.store.registerDeployment({
        request: {
          entityRef: 'component:default/orders',
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: 'orders-dev',
          status: 'ready',
        },
        target,
        actor: 'user:default/ada',
      });
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
      });
      server.cloudFormation.addStack({
        name: 'wo-60-dev',
        status: 'CREATE_COMPLETE',
        tags: tags('component:default/billing', 'wo-60', 'dev'),
      });

      const first = await replica.reconciler.reconcileOnce();
      expect(first).toMatchObject({ discovered: 1, missingEntities: 0 });
      // One batched catalog call for every entity.
      expect(state.calls).toBe(1);
      const discovered = (
        await replica.store.listEnvironments({ stage: 'dev', limit: 10 })
      ).items.find(e => e.stackName === 'wo-60-dev')!;
      // A discovered environment is announced like any other change.
      expect(replica.messages).toContainEqual({
        kind: 'environment',
        id: discovered.id,
        status: 'ready',
      });
      expect((await replica.orphans.listOrphans({ limit: 10 })).items).toEqual(
        [],
      );

      present.delete('component:default/orders');
      replica.messages.length = 0;
      const second = await replica.reconciler.reconcileOnce();
      expect(second.missingEntities).toBe(1);
      const flagged = await replica.store.getEnvironment(orders.id);
      expect(flagged?.entityMissingSince).toEqual(expect.any(String));
      expect(flagged?.status).toBe('ready');
      expect(replica.messages).toContainEqual({
        kind: 'environment',
        id: orders.id,
        status: 'ready',
      });
      const missing = await replica.store.listEnvironments({
        entityMissing: true,
        limit: 10,
      });
      expect(missing.items.map(e => e.id)).toEqual([orders.id]);
      const present2 = await replica.store.listEnvironments({
        entityMissing: false,
        limit: 10,
      });
      expect(present2.items.map(e => e.id)).toEqual([discovered.id]);
      const [orphan] = (await replica.orphans.listOrphans({ limit: 10 })).items;
      expect(orphan).toMatchObject({
        kind: 'missing-entity',
        stackName: 'orders-dev',
        entityRef: 'component:default/orders',
        environmentId: orders.id,
        protected: false,
        reason: 'the catalog has no entity component:default/orders',
        firstSeenAt: flagged?.entityMissingSince,
      });

      // The flag keeps its first time while the entity stays missing.
      await replica.reconciler.reconcileOnce();
      expect(
        (await replica.store.getEnvironment(orders.id))?.entityMissingSince,
      ).toBe(flagged?.entityMissingSince);

      // An unreachable catalog flags and clears nothing.
      state.unreachable = true;
      present.add('component:default/orders');
      const blind = await replica.reconciler.reconcileOnce();
      expect(blind.missingEntities).toBeUndefined();
      expect(
        (await replica.store.getEnvironment(orders.id))?.entityMissingSince,
      ).toBe(flagged?.entityMissingSince);

      state.unreachable = false;
      replica.messages.length = 0;
      await replica.reconciler.reconcileOnce();
      expect(
        (await replica.store.getEnvironment(orders.id))?.entityMissingSince,
      ).toBeUndefined();
      expect(replica.messages).toContainEqual({
        kind: 'environment',
        id: orders.id,
        status: 'ready',
      });
      expect((await replica.orphans.listOrphans({ limit: 10 })).items).toEqual(
        [],
      );
      // Nothing was torn down or deleted along the way.
      expect(server.cloudFormation.stacks.has('orders-dev')).toBe(true);
      expect(server.callCount.DeleteStack ?? 0).toBe(0);
    });
  },
);
