import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackGateways, loopbackTarget } from '../__testUtils__/loopbackAws';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { DatabaseEnvironmentStore } from '../database/DatabaseEnvironmentStore';
import { StackResourceInventory } from './StackResourceInventory';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'StackResourceInventory on %s against a loopback CloudFormation endpoint',
  databaseId => {
    let server: LoopbackAws;
    let clock: number;

    beforeEach(async () => {
      server = await LoopbackAws.start();
      clock = Date.now();
    });
    afterEach(() => server.stop());

    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseEnvironmentStore.create({
        database: mockServices.database({ knex }),
        protectedStages: [],
        eventRetention: 10,
      });
      const targets = new Map<string, Target>([
        ['local', { name: 'local', type: 'local' }],
        ['sandbox', loopbackTarget(server)],
      ]);
      const inventory = StackResourceInventory.create({
        store,
        stacks: loopbackGateways().stacks,
        targets,
        maxAgeMs: 60_000,
        activeMaxAgeMs: 5_000,
        now: () => new Date(clock),
      });
      // The injected clock starts after the registration's real time.
      const register = async (
        target: 'local' | 'sandbox',
        extra: { stackResources?: { logicalId: string; type: string }[] } = {},
      ) => {
        const { environment } = await store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target,
            prefix: 'orders',
            stage: 'dev',
            stackName: 'orders-dev',
            status: 'ready',
            ...extra,
          },
          target: targets.get(target)!,
          actor: 'service:ci',
        });
        clock = Math.max(clock, Date.now());
        return environment;
      };
      return { store, inventory, register };
    }

    const queue = {
      logicalId: 'OrdersQueue',
      type: 'AWS::SQS::Queue',
      physicalId: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
    };
    const fn = {
      logicalId: 'Handler',
      type: 'AWS::Lambda::Function',
      physicalId: 'orders-dev-handler',
    };

    it('serves what synthesis recorded for a local preview, without calling AWS', async () => {
      const { inventory, register } = await setup();
      const environment = await register('local', {
        stackResources: [
          { logicalId: 'Queue', type: 'AWS::SQS::Queue' },
          { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi' },
        ],
      });
      const listed = await inventory.resourcesOf(environment);
      expect(listed.source).toBe('synthesized');
      expect(
        listed.items.map(r => [r.type, r.logicalId, r.physicalId]),
      ).toEqual([
        ['AWS::ApiGateway::RestApi', 'Api', undefined],
        ['AWS::SQS::Queue', 'Queue', undefined],
      ]);
      expect(server.totalCalls()).toBe(0);
    });

    it('reads a stack on AWS once, sorted, and serves the cache until it ages or the environment changes', async () => {
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        resources: [queue, fn],
      });
      const { store, inventory, register } = await setup();
      const environment = await register('sandbox');
      const first = await inventory.resourcesOf(environment);
      expect(first.source).toBe('cloudformation');
      expect(first.items.map(r => r.logicalId)).toEqual([
        'Handler',
        'OrdersQueue',
      ]);
      expect(first.items[1]).toMatchObject({
        physicalId: queue.physicalId,
        status: 'CREATE_COMPLETE',
      });
      expect(first.fetchedAt).toBe(new Date(clock).toISOString());

      clock += 30_000;
      await inventory.resourcesOf(environment);
      expect(server.callCount.ListStackResources).toBe(1);

      clock += 31_000;
      await inventory.resourcesOf(environment);
      expect(server.callCount.ListStackResources).toBe(2);

      // A later change of the environment (a deploy) makes the list stale.
      const changed = {
        ...environment,
        updatedAt: new Date(clock + 1).toISOString(),
      };
      server.cloudFormation.stacks.get('orders-dev')!.resources = [queue];
      const after = await inventory.resourcesOf(changed);
      expect(server.callCount.ListStackResources).toBe(3);
      expect(after.items.map(r => r.logicalId)).toEqual(['OrdersQueue']);
      expect((await store.getStackResources(environment.id))?.items).toEqual(
        after.items,
      );
    });

    it('re-reads after 5 s while an operation runs', async () => {
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'UPDATE_IN_PROGRESS',
      });
      const { inventory, register } = await setup();
      const environment = {
        ...(await register('sandbox')),
        activeOperationId: 'op-1',
      };
      await inventory.resourcesOf(environment);
      clock += 4_000;
      await inventory.resourcesOf(environment);
      expect(server.callCount.ListStackResources).toBe(1);
      clock += 2_000;
      await inventory.resourcesOf(environment);
      expect(server.callCount.ListStackResources).toBe(2);
    });

    it('shares one read between concurrent requests', async () => {
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        resources: [fn],
      });
      const { inventory, register } = await setup();
      const environment = await register('sandbox');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => inventory.resourcesOf(environment)),
      );
      expect(server.callCount.ListStackResources).toBe(1);
      expect(new Set(answers.map(a => a.items[0].physicalId))).toEqual(
        new Set(['orders-dev-handler']),
      );
    });

    it('serves the synthesized list while the stack does not exist yet', async () => {
      const { inventory, register } = await setup();
      const environment = await register('sandbox', {
        stackResources: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue' }],
      });
      const listed = await inventory.resourcesOf(environment);
      expect(server.callCount.ListStackResources).toBe(1);
      expect(listed).toMatchObject({
        source: 'synthesized',
        items: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue' }],
      });
    });

    it('serves the stored list with the reason when CloudFormation fails, and 503 without one', async () => {
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        resources: [fn],
      });
      const { inventory, register } = await setup();
      const environment = await register('sandbox');
      await inventory.resourcesOf(environment);
      clock += 61_000;
      server.throttle.ListStackResources = 10;
      const stale = await inventory.resourcesOf(environment);
      expect(stale.items).toHaveLength(1);
      expect(stale.staleReason).toMatch(
        /^CloudFormation could not be read: Rate exceeded/,
      );

      const other = await setup();
      const fresh = await other.register('sandbox');
      await expect(other.inventory.resourcesOf(fresh)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /resources of stack "orders-dev" are unknown: .*Rate exceeded/,
        ),
      });
    });

    it('does not call AWS for deleted stacks', async () => {
      const { inventory, register } = await setup();
      const environment = {
        ...(await register('sandbox')),
        status: 'deleted' as const,
      };
      expect(await inventory.resourcesOf(environment)).toEqual({
        items: [],
        source: 'none',
      });
      expect(server.totalCalls()).toBe(0);
    });
  },
);
