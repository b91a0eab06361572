import { createTestDatabases } from '@stackyard/test-support';
import { Knex } from 'knex';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackGateways, loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const deployment = {
  entityRef: 'component:default/orders',
  target: 'sandbox',
  prefix: 'orders',
  stage: 'dev',
  stackName: 'orders-dev',
  status: 'ready' as const,
};

describe.each(databases.eachSupportedId())(
  'OperationTracker on %s against a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;
    let knex: Knex;

    beforeEach(async () => {
      server = await LoopbackAws.start();
      knex = await databases.init(databaseId);
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
      });
    });
    afterEach(() => server.stop());

    it('follows a teardown to its end, recording the stack events', async () => {
      const replica = await createReplica({ knex, server });
      const { environment } = await replica.store.registerDeployment({
        request: deployment,
        target: loopbackTarget(server),
        actor: 'a',
      });
      const { operation } = await replica.teardown.teardownExpired(environment);
      expect(operation.state).toBe('running');

      expect(await replica.tracker.trackOnce()).toEqual({
        tracked: 1,
        finished: 0,
      });
      const events = await replica.store.listEvents(environment.id, 10);
      expect(events.map(e => e.resourceStatus)).toEqual(['DELETE_IN_PROGRESS']);
      expect(events[0].operationId).toBe(operation.id);

      server.cloudFormation.completeDeletion('orders-dev');
      expect(await replica.tracker.trackOnce()).toEqual({
        tracked: 1,
        finished: 1,
      });
      expect(await replica.store.getOperation(operation.id)).toMatchObject({
        state: 'succeeded',
      });
      expect(await replica.store.getEnvironment(environment.id)).toMatchObject({
        status: 'deleted',
        activeOperationId: undefined,
      });
      expect(replica.messages).toContainEqual({
        kind: 'environment',
        id: environment.id,
        status: 'deleted',
      });
    });

    it('ends a teardown as failed when CloudFormation cannot delete the stack', async () => {
      const replica = await createReplica({ knex, server });
      const { environment } = await replica.store.registerDeployment({
        request: deployment,
        target: loopbackTarget(server),
        actor: 'a',
      });
      const { operation } = await replica.teardown.teardownExpired(environment);
      server.cloudFormation.stacks.get('orders-dev')!.status = 'DELETE_FAILED';
      server.cloudFormation.stacks.get('orders-dev')!.reason =
        'Bucket not empty';
      await replica.tracker.trackOnce();
      expect(await replica.store.getOperation(operation.id)).toMatchObject({
        state: 'failed',
        error: 'CloudFormation could not delete the stack: Bucket not empty',
      });
      expect(await replica.store.getEnvironment(environment.id)).toMatchObject({
        status: 'failed',
      });
    });

    describe('after a restart in the middle of a teardown', () => {
      it('finishes a teardown whose DeleteStack was sent before the restart, without sending another', async () => {
        const before = await createReplica({ knex, server });
        const { environment } = await before.store.registerDeployment({
          request: deployment,
          target: loopbackTarget(server),
          actor: 'a',
        });
        // The replica claims the teardown and sends DeleteStack, then dies
        // before recording that CloudFormation accepted it.
        const claim = await before.store.claimTeardown({
          environmentId: environment.id,
          operationId: '11111111-1111-4111-8111-111111111111',
          actor: 'user:default/ada',
        });
        expect(claim.kind).toBe('claimed');
        await loopbackGateways().stacks.deleteStack(
          loopbackTarget(server),
          'orders-dev',
          claim.kind === 'claimed' ? claim.operation.id : '',
        );

        const after = await createReplica({ knex, server });
        await after.tracker.trackOnce();
        expect(
          await after.store.getOperation(
            '11111111-1111-4111-8111-111111111111',
          ),
        ).toMatchObject({ state: 'running' });

        const repeat = await after.teardown.teardownExpired(
          (await after.store.getEnvironment(environment.id))!,
        );
        expect(repeat).toMatchObject({
          started: false,
          operation: { id: '11111111-1111-4111-8111-111111111111' },
        });

        server.cloudFormation.completeDeletion('orders-dev');
        await after.tracker.trackOnce();
        expect(
          await after.store.getOperation(
            '11111111-1111-4111-8111-111111111111',
          ),
        ).toMatchObject({ state: 'succeeded' });
        expect((await after.store.getEnvironment(environment.id))?.status).toBe(
          'deleted',
        );
        expect(server.callCount.DeleteStack).toBe(1);
      });

      it('ends a teardown interrupted before DeleteStack as failed with the reason, so it can be requested again', async () => {
        const before = await createReplica({ knex, server });
        const { environment } = await before.store.registerDeployment({
          request: deployment,
          target: loopbackTarget(server),
          actor: 'a',
        });
        await before.store.claimTeardown({
          environmentId: environment.id,
          operationId: '22222222-2222-4222-8222-222222222222',
          actor: 'user:default/ada',
        });

        let now = new Date();
        const after = await createReplica({ knex, server, now: () => now });
        await after.tracker.trackOnce();
        expect(
          await after.store.getOperation(
            '22222222-2222-4222-8222-222222222222',
          ),
        ).toMatchObject({ state: 'pending' });

        now = new Date(Date.now() + 10 * 60_000);
        await after.tracker.trackOnce();
        const op = await after.store.getOperation(
          '22222222-2222-4222-8222-222222222222',
        );
        expect(op?.state).toBe('failed');
        expect(op?.error).toMatch(
          /interrupted before CloudFormation accepted the delete request; the stack is CREATE_COMPLETE/,
        );
        expect(await after.store.getEnvironment(environment.id)).toMatchObject({
          status: 'ready',
          activeOperationId: undefined,
        });
        expect(server.callCount.DeleteStack).toBeUndefined();

        const retry = await after.teardown.teardownExpired(
          (await after.store.getEnvironment(environment.id))!,
        );
        expect(retry.started).toBe(true);
        expect(server.callCount.DeleteStack).toBe(1);
      });
    });

    it('resolves a deploy that never reported back from the stack status', async () => {
      let now = new Date();
      const replica = await createReplica({ knex, server, now: () => now });
      const { operation } = await replica.store.registerDeployment({
        request: { ...deployment, status: 'deploying' },
        target: loopbackTarget(server),
        actor: 'a',
      });
      await replica.tracker.trackOnce();
      expect((await replica.store.getOperation(operation.id))?.state).toBe(
        'running',
      );
      now = new Date(Date.now() + 4 * 3600_000);
      await replica.tracker.trackOnce();
      expect((await replica.store.getOperation(operation.id))?.state).toBe(
        'succeeded',
      );
    });
  },
);
