import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import type { RegisterDeploymentRequest } from '@stackyard/plugin-stackyard-common';
import { DatabaseEnvironmentStore } from './DatabaseEnvironmentStore';
import type { Target } from '@stackyard/plugin-stackyard-node';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const aws: Target = {
  name: 'sandbox',
  type: 'aws',
  accountId: '123456789012',
  region: 'eu-west-1',
};

const deployment = (
  overrides: Partial<RegisterDeploymentRequest> = {},
): RegisterDeploymentRequest => ({
  entityRef: 'component:default/orders',
  target: 'sandbox',
  prefix: 'orders',
  stage: 'dev',
  stackName: 'orders-dev',
  status: 'ready',
  outputs: { Url: 'https://example.test' },
  resources: { 'AWS::Lambda::Function': 2 },
  ...overrides,
});

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseEnvironmentStore.create({
    database: mockServices.database({ knex }),
    protectedStages: ['prod'],
    eventRetention: 3,
  });
  return { knex, store };
}

describe.each(databases.eachSupportedId())(
  'DatabaseEnvironmentStore on %s',
  databaseId => {
    it('registers a deployment, then updates the same environment', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.registerDeployment({
        request: deployment({ status: 'deploying' }),
        target: aws,
        actor: 'user:default/ada',
      });
      expect(first.created).toBe(true);
      expect(first.operation).toMatchObject({
        type: 'deploy',
        state: 'running',
      });
      expect(first.environment).toMatchObject({
        entityRef: 'component:default/orders',
        accountId: '123456789012',
        region: 'eu-west-1',
        status: 'deploying',
        activeOperationId: first.operation.id,
        protected: false,
      });

      const second = await store.registerDeployment({
        request: deployment({ status: 'ready', templateVersion: '1.2.0' }),
        target: aws,
        actor: 'user:default/ada',
      });
      expect(second.created).toBe(false);
      expect(second.environment.id).toBe(first.environment.id);
      expect(second.operation).toMatchObject({
        id: first.operation.id,
        state: 'succeeded',
      });
      expect(second.environment.activeOperationId).toBeUndefined();
      expect(second.environment.templateVersion).toBe('1.2.0');
      expect(second.environment.outputs).toEqual({
        Url: 'https://example.test',
      });

      const third = await store.registerDeployment({
        request: {
          entityRef: 'component:default/orders',
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: 'orders-dev',
          status: 'failed',
          statusReason: 'Rollback',
        },
        target: aws,
        actor: 'user:default/ada',
      });
      expect(third.environment).toMatchObject({
        status: 'failed',
        statusReason: 'Rollback',
        templateVersion: '1.2.0',
        outputs: { Url: 'https://example.test' },
        resources: { 'AWS::Lambda::Function': 2 },
      });
      expect(third.operation).toMatchObject({
        state: 'failed',
        error: 'Rollback',
      });
      expect(third.operation.id).not.toBe(first.operation.id);
    });

    it('refuses a stack name already registered for another entity', async () => {
      const { store } = await createStore(databaseId);
      await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      await expect(
        store.registerDeployment({
          request: deployment({ entityRef: 'component:default/billing' }),
          target: aws,
          actor: 'a',
        }),
      ).rejects.toThrow(/belongs to component:default\/orders/);
    });

    it('reports protection from the stage, the flag and termination protection', async () => {
      const { store } = await createStore(databaseId);
      const prod = await store.registerDeployment({
        request: deployment({ stage: 'prod', stackName: 'orders-prod' }),
        target: aws,
        actor: 'a',
      });
      expect(prod.environment.protectionReason).toBe(
        'stage "prod" is a protected stage',
      );
      const flagged = await store.registerDeployment({
        request: deployment({
          stage: 'qa',
          stackName: 'orders-qa',
          protected: true,
        }),
        target: aws,
        actor: 'a',
      });
      expect(flagged.environment.protected).toBe(true);
      const [changed] = await store.applyObservations(
        [
          {
            id: (
              await store.registerDeployment({
                request: deployment(),
                target: aws,
                actor: 'a',
              })
            ).environment.id,
            status: 'ready',
            stackStatus: 'UPDATE_COMPLETE',
            terminationProtection: true,
            alarms: [],
          },
        ],
        new Date(Date.now() + 1000),
      );
      expect(changed.protectionReason).toMatch(/termination protection/);
    });

    it('lets exactly one of many concurrent claims start a teardown', async () => {
      const { store } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      const claims = await Promise.all(
        ['op-1', 'op-2', 'op-3', 'op-4'].map(operationId =>
          store.claimTeardown({
            environmentId: environment.id,
            operationId,
            actor: 'a',
          }),
        ),
      );
      const winners = claims.filter(c => c.kind === 'claimed');
      expect(winners).toHaveLength(1);
      const winnerId =
        winners[0].kind === 'claimed' ? winners[0].operation.id : '';
      for (const claim of claims) {
        expect(claim.kind === 'gone' ? undefined : claim.operation.id).toBe(
          winnerId,
        );
      }
      const after = await store.getEnvironment(environment.id);
      expect(after).toMatchObject({
        status: 'deleting',
        activeOperationId: winnerId,
      });
    });

    it('finishing an operation releases the environment', async () => {
      const { store } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      await store.claimTeardown({
        environmentId: environment.id,
        operationId: 'op-1',
        actor: 'a',
      });
      const op = await store.updateOperation('op-1', {
        state: 'succeeded',
        environmentStatus: 'deleted',
      });
      expect(op.finishedAt).toBeDefined();
      expect(await store.getEnvironment(environment.id)).toMatchObject({
        status: 'deleted',
        activeOperationId: undefined,
      });
      const again = await store.claimTeardown({
        environmentId: environment.id,
        operationId: 'op-2',
        actor: 'a',
      });
      expect(again.kind).toBe('gone');
    });

    it('never lets a registration take an environment out of protection', async () => {
      const { store } = await createStore(databaseId);
      const prod = await store.registerDeployment({
        request: deployment({
          prefix: 'wo',
          stage: 'prod',
          stackName: 'wo-prod',
        }),
        target: aws,
        actor: 'a',
      });
      // The same stack under another stage, past the API's schema.
      await expect(
        store.registerDeployment({
          request: deployment({
            prefix: 'wo-prod',
            stage: 'dev',
            stackName: 'wo-prod',
          }),
          target: aws,
          actor: 'a',
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
      const flagged = await store.registerDeployment({
        request: deployment({ protected: true }),
        target: aws,
        actor: 'a',
      });
      await expect(
        store.registerDeployment({
          request: deployment({ protected: false }),
          target: aws,
          actor: 'a',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/cannot remove its protection/),
      });
      for (const { environment } of [prod, flagged]) {
        expect(await store.getEnvironment(environment.id)).toMatchObject({
          protected: true,
          stage: environment.stage,
        });
      }
    });

    it('refuses to change the stage of a registered stack', async () => {
      const { store, knex } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      // A row whose stage disagrees with a new registration (e.g. written
      // before stack names were checked) keeps its stage and protection.
      await knex('stackyard_environments')
        .where({ id: environment.id })
        .update({ stage: 'prod' });
      await expect(
        store.registerDeployment({
          request: deployment(),
          target: aws,
          actor: 'a',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Stack "orders-dev" is registered with stage "prod", not "dev"; a stack\'s stage never changes',
      });
      expect((await store.getEnvironment(environment.id))!.protected).toBe(
        true,
      );
    });

    it('pages through environments with filters and a cursor', async () => {
      const { store } = await createStore(databaseId);
      for (let i = 0; i < 5; i++) {
        await store.registerDeployment({
          request: deployment({
            entityRef: `component:default/svc-${i % 2}`,
            prefix: `svc-${i}`,
            stackName: `svc-${i}-dev`,
          }),
          target: aws,
          actor: 'a',
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listEnvironments({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map(e => e.stackName));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([
        'svc-0-dev',
        'svc-1-dev',
        'svc-2-dev',
        'svc-3-dev',
        'svc-4-dev',
      ]);

      const forEntity = await store.listEnvironments({
        limit: 10,
        entityRef: 'Component:default/SVC-1',
      });
      expect(forEntity.items.map(e => e.stackName).sort()).toEqual([
        'svc-1-dev',
        'svc-3-dev',
      ]);
      const none = await store.listEnvironments({
        limit: 10,
        status: 'failed',
      });
      expect(none.items).toEqual([]);
    });

    it('keeps only the newest events and ignores duplicates', async () => {
      const { store } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      const event = (n: number) => ({
        eventId: `e-${n}`,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        resourceStatus: 'DELETE_IN_PROGRESS',
      });
      await store.addEvents(environment.id, undefined, [event(1), event(2)]);
      await store.addEvents(environment.id, undefined, [
        event(2),
        event(3),
        event(4),
      ]);
      const events = await store.listEvents(environment.id, 10);
      expect(events.map(e => e.eventId)).toEqual(['e-4', 'e-3', 'e-2']);
    });

    it('does not let an observation overwrite a deployment registered after it started', async () => {
      const { store } = await createStore(databaseId);
      const before = new Date(Date.now() - 60_000);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      const changed = await store.applyObservations(
        [{ id: environment.id, status: 'deleted', alarms: [] }],
        before,
      );
      expect(changed).toEqual([]);
      expect((await store.getEnvironment(environment.id))?.status).toBe(
        'ready',
      );
    });

    it('lists expired, unprotected previews only', async () => {
      const { store } = await createStore(databaseId);
      const past = new Date(Date.now() - 3_600_000).toISOString();
      const future = new Date(Date.now() + 3_600_000).toISOString();
      await store.registerDeployment({
        request: deployment({
          prefix: 'old',
          stackName: 'old-dev',
          expiresAt: past,
        }),
        target: aws,
        actor: 'a',
      });
      await store.registerDeployment({
        request: deployment({
          prefix: 'new',
          stackName: 'new-dev',
          expiresAt: future,
        }),
        target: aws,
        actor: 'a',
      });
      await store.registerDeployment({
        request: deployment({
          prefix: 'kept',
          stackName: 'kept-dev',
          expiresAt: past,
          protected: true,
        }),
        target: aws,
        actor: 'a',
      });
      const expired = await store.listExpired(new Date());
      expect(expired.map(e => e.stackName)).toEqual(['old-dev']);
    });

    it('records synthesized resources with a deployment, deriving counts, and keeps them when left out', async () => {
      const { store } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment({
          resources: undefined,
          stackResources: [
            { logicalId: 'Worker', type: 'AWS::Lambda::Function' },
            { logicalId: 'Queue', type: 'AWS::SQS::Queue' },
            { logicalId: 'Api', type: 'AWS::Lambda::Function' },
          ],
        }),
        target: aws,
        actor: 'a',
      });
      expect(environment.resources).toEqual({
        'AWS::Lambda::Function': 2,
        'AWS::SQS::Queue': 1,
      });
      const stored = await store.getStackResources(environment.id);
      expect(stored?.source).toBe('synthesized');
      expect(stored?.items.map(r => r.logicalId)).toEqual([
        'Api',
        'Worker',
        'Queue',
      ]);

      const again = await store.registerDeployment({
        request: deployment({ resources: undefined, status: 'ready' }),
        target: aws,
        actor: 'a',
      });
      expect(again.environment.resources).toEqual(environment.resources);
      expect(
        (await store.getStackResources(environment.id))?.items,
      ).toHaveLength(3);
    });

    it('replaces a stored resource list, and drops it with its environment', async () => {
      const { knex, store } = await createStore(databaseId);
      const { environment } = await store.registerDeployment({
        request: deployment(),
        target: aws,
        actor: 'a',
      });
      expect(await store.getStackResources(environment.id)).toBeUndefined();
      const fetchedAt = new Date('2026-02-01T10:00:00.000Z');
      const resources = Array.from({ length: 500 }, (_, i) => ({
        logicalId: `Fn${String(i).padStart(3, '0')}`,
        type: 'AWS::Lambda::Function',
        physicalId: `orders-dev-fn-${i}`,
        status: 'CREATE_COMPLETE',
        updatedAt: '2026-02-01T09:00:00.000Z',
      }));
      await store.putStackResources(environment.id, {
        source: 'synthesized',
        items: [{ logicalId: 'Old', type: 'AWS::SQS::Queue' }],
        fetchedAt: new Date(0),
      });
      await store.putStackResources(environment.id, {
        source: 'cloudformation',
        items: [...resources].reverse(),
        fetchedAt,
      });
      const stored = await store.getStackResources(environment.id);
      expect(stored).toEqual({
        source: 'cloudformation',
        items: resources,
        fetchedAt,
      });

      await knex('stackyard_environments')
        .where({ id: environment.id })
        .delete();
      expect(await store.getStackResources(environment.id)).toBeUndefined();
    });
  },
);
