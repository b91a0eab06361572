import { createTestDatabases } from '@stackyard/test-support';
import { knex as createKnex, Knex } from 'knex';
import request from 'supertest';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/**
 * A second connection pool to the same database, as a second backend
 * replica would have. Embedded SQLite lives in one process, so there the
 * replicas share the pool.
 */
function secondPool(databaseId: string, knex: Knex): Knex {
  return databaseId.startsWith('POSTGRES')
    ? createKnex(knex.client.config)
    : knex;
}

describe.each(databases.eachSupportedId())(
  'two replicas on one %s database against a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    it('turn concurrent teardown requests into exactly one DeleteStack', async () => {
      const knexA = await databases.init(databaseId);
      const knexB = secondPool(databaseId, knexA);
      try {
        const a = await createReplica({ knex: knexA, server });
        const b = await createReplica({ knex: knexB, server });
        server.cloudFormation.addStack({
          name: 'orders-dev',
          status: 'CREATE_COMPLETE',
        });
        const { environment } = await a.store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target: 'sandbox',
            prefix: 'orders',
            stage: 'dev',
            stackName: 'orders-dev',
            status: 'ready',
          },
          target: loopbackTarget(server),
          actor: 'a',
        });

        const responses = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            request((i % 2 ? a : b).app).post(
              `/environments/${environment.id}/teardown`,
            ),
          ),
        );
        expect(responses.map(r => r.status)).toEqual(Array(10).fill(202));
        const ids = new Set(responses.map(r => r.body.operation.id));
        expect(ids.size).toBe(1);
        expect(server.callCount.DeleteStack).toBe(1);
        const teardowns = (
          await a.store.listOperations(environment.id, 20)
        ).filter(o => o.type === 'teardown');
        expect(teardowns).toHaveLength(1);
      } finally {
        if (knexB !== knexA) await knexB.destroy();
      }
    });

    it('answer 20 concurrent teardowns of a local preview, which finishes at once, all 202 with the one operation', async () => {
      const knexA = await databases.init(databaseId);
      const knexB = secondPool(databaseId, knexA);
      try {
        const a = await createReplica({ knex: knexA, server });
        const b = await createReplica({ knex: knexB, server });
        const { environment } = await a.store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target: 'local',
            prefix: 'orders',
            stage: 'dev',
            stackName: 'orders-dev',
            status: 'ready',
          },
          target: { name: 'local', type: 'local' },
          actor: 'a',
        });

        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request((i % 2 ? a : b).app).post(
              `/environments/${environment.id}/teardown`,
            ),
          ),
        );
        expect(responses.map(r => [r.status, r.body.error?.message])).toEqual(
          Array(20).fill([202, undefined]),
        );
        const ids = new Set(responses.map(r => r.body.operation.id));
        expect(ids.size).toBe(1);
        const teardowns = (
          await a.store.listOperations(environment.id, 50)
        ).filter(o => o.type === 'teardown');
        expect(teardowns).toHaveLength(1);
        expect(teardowns[0].state).toBe('succeeded');
      } finally {
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  },
);
