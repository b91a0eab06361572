import { createTestDatabases } from '@stackyard/test-support';
import type { RegisterDeploymentRequest } from '@stackyard/plugin-stackyard-common';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';
import { assignAlarms } from './Reconciler';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const request = (
  stackName: string,
  extra: Partial<RegisterDeploymentRequest> = {},
) => ({
  entityRef: 'component:default/orders',
  target: 'sandbox',
  // The store insists on stackName = <prefix>-<stage>.
  prefix: stackName.replace(/-[a-z0-9]+$/, ''),
  stage: stackName.slice(stackName.lastIndexOf('-') + 1),
  stackName,
  status: 'ready' as const,
  ...extra,
});

describe('assignAlarms', () => {
  it('gives each alarm to the stack with the longest matching name', () => {
    const alarm = (name: string) => ({
      name,
      type: 'metric' as const,
      state: 'OK' as const,
    });
    const result = assignAlarms(
      [
        alarm('orders-dev-Errors'),
        alarm('orders-dev-2-Errors'),
        alarm('other-Errors'),
        alarm('orders-devx'),
      ],
      ['orders-dev', 'orders-dev-2'],
    );
    expect(result.get('orders-dev')?.map(a => a.name)).toEqual([
      'orders-dev-Errors',
    ]);
    expect(result.get('orders-dev-2')?.map(a => a.name)).toEqual([
      'orders-dev-2-Errors',
    ]);
  });
});

describe.each(databases.eachSupportedId())(
  'Reconciler on %s against a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    it('refreshes status, outputs, protection and alarms; marks stacks deleted outside', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      const target = loopbackTarget(server);
      const { store } = replica;
      const ids: Record<string, string> = {};
      for (const name of [
        'orders-dev',
        'orders-qa',
        'orders-gone',
        'orders-locked',
      ]) {
        ids[name] = (
          await store.registerDeployment({
            request: request(name),
            target,
            actor: 'a',
          })
        ).environment.id;
      }
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'UPDATE_COMPLETE',
        outputs: { Url: 'https://x.test' },
      });
      server.cloudFormation.addStack({
        name: 'orders-qa',
        status: 'UPDATE_ROLLBACK_COMPLETE',
        reason: 'bad change',
      });
      server.cloudFormation.addStack({
        name: 'orders-locked',
        status: 'CREATE_COMPLETE',
        terminationProtection: true,
      });
      server.cloudFormation.addStack({
        name: 'unrelated-stack',
        status: 'CREATE_COMPLETE',
      });
      server.cloudWatch.alarms.push(
        {
          name: 'orders-dev-Errors',
          type: 'metric',
          state: 'ALARM',
          reason: 'Threshold crossed',
        },
        { name: 'orders-dev-Health', type: 'composite', state: 'OK' },
      );

      const stats = await replica.reconciler.reconcileOnce();
      expect(stats).toMatchObject({
        environments: 4,
        accountRegions: 1,
        changed: 4,
        failedAccountRegions: 0,
      });
      expect(server.callCount).toEqual({
        DescribeStacks: 1,
        DescribeAlarms: 1,
      });

      const dev = await store.getEnvironment(ids['orders-dev']);
      expect(dev).toMatchObject({
        status: 'ready',
        stackStatus: 'UPDATE_COMPLETE',
        outputs: { Url: 'https://x.test' },
      });
      expect(dev?.alarms.map(a => [a.name, a.type, a.state])).toEqual([
        ['orders-dev-Errors', 'metric', 'ALARM'],
        ['orders-dev-Health', 'composite', 'OK'],
      ]);
      expect(await store.getEnvironment(ids['orders-qa'])).toMatchObject({
        status: 'failed',
        statusReason: 'bad change',
      });
      expect(await store.getEnvironment(ids['orders-gone'])).toMatchObject({
        status: 'deleted',
        statusReason: expect.stringMatching(/deleted outside Stackyard/),
      });
      expect(
        (await store.getEnvironment(ids['orders-locked']))?.protectionReason,
      ).toMatch(/termination protection/);
      expect(
        replica.messages.filter(m => m.kind === 'environment'),
      ).toHaveLength(4);

      server.resetCalls();
      const again = await replica.reconciler.reconcileOnce();
      expect(again.changed).toBe(0);
      expect(again.environments).toBe(3);
    });

    it('makes calls per result page, not per stack', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      const target = loopbackTarget(server);
      for (let i = 0; i < 250; i++) {
        server.cloudFormation.addStack({
          name: `svc${i}-dev`,
          status: 'CREATE_COMPLETE',
        });
        await replica.store.registerDeployment({
          request: request(`svc${i}-dev`),
          target,
          actor: 'a',
        });
      }
      const stats = await replica.reconciler.reconcileOnce();
      expect(stats.environments).toBe(250);
      expect(server.callCount).toEqual({
        DescribeStacks: 3,
        DescribeAlarms: 1,
      });
    });

    it('keeps reconciling other account/regions when one fails', async () => {
      const other = await LoopbackAws.start();
      try {
        const replica = await createReplica({
          knex: await databases.init(databaseId),
          server,
          extraTargets: [loopbackTarget(other, 'other')],
        });
        const { store } = replica;
        await store.registerDeployment({
          request: request('orders-dev'),
          target: loopbackTarget(server),
          actor: 'a',
        });
        server.throttle.DescribeStacks = 100;
        const { environment } = await store.registerDeployment({
          request: request('billing-dev', { target: 'other' }),
          target: loopbackTarget(other, 'other'),
          actor: 'a',
        });
        other.cloudFormation.addStack({
          name: 'billing-dev',
          status: 'UPDATE_ROLLBACK_COMPLETE',
        });
        const stats = await replica.reconciler.reconcileOnce();
        expect(stats).toMatchObject({
          accountRegions: 2,
          failedAccountRegions: 1,
        });
        expect((await store.getEnvironment(environment.id))?.status).toBe(
          'failed',
        );
      } finally {
        await other.stop();
      }
    });

    const ciTags = (
      prefix: string,
      stage: string,
      extra: Record<string, string> = {},
    ) => ({
      'stackyard:entity-ref': 'component:default/orders',
      'stackyard:template': 'websocket-service@1.0.0',
      'stackyard:prefix': prefix,
      'stackyard:stage': stage,
      'stackyard:branch': 'feature/wo-42-x',
      'stackyard:commit': '0123456789abcdef0123456789abcdef01234567',
      ...extra,
    });

    it('discovers Stackyard-tagged stacks deployed outside the portal, ignoring untagged ones', async () => {
      const created = new Date(Date.now() - 3_600_000);
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      server.cloudFormation.addStack({
        name: 'wo-42-dev',
        status: 'CREATE_COMPLETE',
        outputs: { Url: 'https://ci.test' },
        tags: ciTags('wo-42', 'dev'),
        creationTime: created,
      });
      server.cloudFormation.addStack({
        name: 'wo-43-preview',
        status: 'UPDATE_COMPLETE',
        tags: ciTags('wo-43', 'preview', { 'stackyard:ttl-hours': 'default' }),
        creationTime: created,
      });
      server.cloudFormation.addStack({
        name: 'wo-44-preview',
        status: 'CREATE_COMPLETE',
        tags: ciTags('wo-44', 'preview', { 'stackyard:ttl-hours': '6' }),
        creationTime: created,
      });
      server.cloudFormation.addStack({
        name: 'someone-elses',
        status: 'CREATE_COMPLETE',
        tags: { Project: 'x' },
      });
      server.cloudWatch.alarms.push({
        name: 'wo-42-dev-Errors',
        type: 'metric',
        state: 'ALARM',
      });

      const stats = await replica.reconciler.reconcileOnce();
      expect(stats).toMatchObject({
        environments: 0,
        discovered: 3,
        orphanCandidates: 0,
        changed: 3,
        expired: 0,
      });
      expect(server.callCount).toEqual({
        DescribeStacks: 1,
        DescribeAlarms: 1,
      });
      const { items } = await replica.store.listEnvironments({ limit: 10 });
      const byName = new Map(items.map(e => [e.stackName, e]));
      expect([...byName.keys()].sort()).toEqual([
        'wo-42-dev',
        'wo-43-preview',
        'wo-44-preview',
      ]);
      expect(byName.get('wo-42-dev')).toMatchObject({
        entityRef: 'component:default/orders',
        target: 'sandbox',
        prefix: 'wo-42',
        stage: 'dev',
        status: 'ready',
        stackStatus: 'CREATE_COMPLETE',
        outputs: { Url: 'https://ci.test' },
        createdBy: 'stackyard:discovery',
        branch: 'feature/wo-42-x',
        commit: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(byName.get('wo-42-dev')?.expiresAt).toBeUndefined();
      expect(byName.get('wo-42-dev')?.alarms.map(a => a.name)).toEqual([
        'wo-42-dev-Errors',
      ]);
      // readOptions' default TTL is 72 hours; a stage may set its own.
      expect(byName.get('wo-43-preview')?.expiresAt).toBe(
        new Date(created.getTime() + 72 * 3_600_000).toISOString(),
      );
      expect(byName.get('wo-44-preview')?.expiresAt).toBe(
        new Date(created.getTime() + 6 * 3_600_000).toISOString(),
      );
      expect(
        replica.messages.filter(m => m.kind === 'environment'),
      ).toHaveLength(3);

      server.resetCalls();
      const again = await replica.reconciler.reconcileOnce();
      expect(again).toMatchObject({
        environments: 3,
        discovered: 0,
        changed: 0,
      });
      expect(server.callCount).toEqual({
        DescribeStacks: 1,
        DescribeAlarms: 1,
      });
    });

    it('does not adopt stacks whose tags do not parse, disagree with the name or name another entity', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      const { environment: billing } = await replica.store.registerDeployment({
        request: request('billing-dev', {
          entityRef: 'component:default/billing',
        }),
        target: loopbackTarget(server),
        actor: 'a',
      });
      const bad: Array<[string, Record<string, string>]> = [
        [
          'bad-ref-dev',
          ciTags('bad-ref', 'dev', { 'stackyard:entity-ref': 'not a ref' }),
        ],
        ['wrong-name-dev', ciTags('other', 'dev')],
        ['no-stage-dev', { 'stackyard:entity-ref': 'component:default/x' }],
        [
          'bad-ttl-preview',
          ciTags('bad-ttl', 'preview', { 'stackyard:ttl-hours': 'soon' }),
        ],
        ['billing-dev', ciTags('billing', 'dev')],
      ];
      for (const [name, tags] of bad) {
        server.cloudFormation.addStack({
          name,
          status: 'CREATE_COMPLETE',
          tags,
        });
      }
      const stats = await replica.reconciler.reconcileOnce();
      expect(stats).toMatchObject({ discovered: 0, orphanCandidates: 5 });
      // Still counted every cycle (a later page will list them).
      expect(await replica.reconciler.reconcileOnce()).toMatchObject({
        discovered: 0,
        orphanCandidates: 5,
      });
      const { items } = await replica.store.listEnvironments({ limit: 10 });
      expect(items.map(e => [e.stackName, e.entityRef])).toEqual([
        ['billing-dev', 'component:default/billing'],
      ]);
      expect((await replica.store.getEnvironment(billing.id))?.status).toBe(
        'ready',
      );
    });

    it('tears down a discovered expired preview, audited as Stackyard', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      server.cloudFormation.addStack({
        name: 'wo-45-preview',
        status: 'CREATE_COMPLETE',
        tags: ciTags('wo-45', 'preview', { 'stackyard:ttl-hours': '1' }),
        creationTime: new Date(Date.now() - 2 * 3_600_000),
      });
      const stats = await replica.reconciler.reconcileOnce();
      expect(stats).toMatchObject({ discovered: 1, expired: 1 });
      expect(server.callCount.DeleteStack).toBe(1);
      expect(server.cloudFormation.stacks.get('wo-45-preview')?.status).toBe(
        'DELETE_IN_PROGRESS',
      );
      expect(replica.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'environment-teardown',
          outcome: 'success',
          meta: expect.objectContaining({
            actor: 'stackyard:preview-expiry',
          }),
        }),
      ]);
    });

    it('tears down expired previews, audited as Stackyard', async () => {
      let now = new Date();
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
        now: () => now,
      });
      const target = loopbackTarget(server);
      server.cloudFormation.addStack({
        name: 'pr42-preview',
        status: 'CREATE_COMPLETE',
      });
      server.cloudFormation.addStack({
        name: 'pr43-preview',
        status: 'CREATE_COMPLETE',
      });
      const soon = new Date(Date.now() + 60_000).toISOString();
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const expired = await replica.store.registerDeployment({
        request: request('pr42-preview', { stage: 'preview', expiresAt: soon }),
        target,
        actor: 'a',
      });
      await replica.store.registerDeployment({
        request: request('pr43-preview', {
          stage: 'preview',
          expiresAt: later,
        }),
        target,
        actor: 'a',
      });
      expect((await replica.reconciler.reconcileOnce()).expired).toBe(0);
      now = new Date(Date.now() + 120_000);
      expect((await replica.reconciler.reconcileOnce()).expired).toBe(1);
      expect(server.callCount.DeleteStack).toBe(1);
      expect(server.cloudFormation.stacks.get('pr42-preview')?.status).toBe(
        'DELETE_IN_PROGRESS',
      );
      expect(server.cloudFormation.stacks.get('pr43-preview')?.status).toBe(
        'CREATE_COMPLETE',
      );
      expect(replica.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'environment-teardown',
          outcome: 'success',
          meta: expect.objectContaining({
            actor: 'stackyard:preview-expiry',
            environmentId: expired.environment.id,
          }),
        }),
      ]);
    });
  },
);
