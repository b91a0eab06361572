import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { knex as createKnex, Knex } from 'knex';
import { DatabaseEnvironmentStore } from '../database/DatabaseEnvironmentStore';
import { ReplicaHeartbeat } from './ReplicaHeartbeat';
import { SocketStore } from './SocketStore';
import { localPreview } from '../__testUtils__/localPreview';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'connection rows of crashed replicas on one %s database',
  databaseId => {
    it('are expired by a live replica once the crashed one misses its heartbeats', async () => {
      const knexA = await databases.init(databaseId);
      const knexB: Knex = databaseId.startsWith('POSTGRES')
        ? createKnex(knexA.client.config)
        : knexA;
      const environments = await DatabaseEnvironmentStore.create({
        database: mockServices.database({ knex: knexA }),
        protectedStages: [],
        eventRetention: 10,
      });
      const { environment } = await environments.registerDeployment({
        request: {
          ...localPreview(),
          websocket: {
            routes: {
              $default: {
                integration: { type: 'http', url: 'http://127.0.0.1:1' },
              },
            },
          },
        },
        target: { name: 'local', type: 'local' },
        actor: 'user:default/mock',
      });

      const t0 = Date.parse('2026-11-22T10:00:00Z');
      let now = t0;
      const replica = async (knex: Knex, replicaId: string) => {
        const store = SocketStore.create({ knex });
        const heartbeat = await ReplicaHeartbeat.start({
          store,
          replicaId,
          logger: mockServices.logger.mock(),
          intervalMs: 15_000,
          staleAfterMs: 60_000,
          now: () => new Date(now),
        });
        return { store, heartbeat };
      };
      const connection = (connectionId: string, replicaId: string) => ({
        connectionId,
        environmentId: environment.id,
        replicaId,
        connectedAt: new Date(now),
      });
      const ids = async (store: SocketStore) =>
        (await store.listConnections(environment.id, 10))
          .map(c => c.connectionId)
          .sort();

      const a = await replica(knexA, '00000000-0000-4000-8000-00000000000a');
      const b = await replica(knexB, '00000000-0000-4000-8000-00000000000b');
      try {
        await a.store.addConnection(connection('a-1', a.heartbeat.replicaId));
        await b.store.addConnection(connection('b-1', b.heartbeat.replicaId));
        // A row of a replica that never recorded a heartbeat (older code).
        await b.store.addConnection(
          connection('legacy-1', '00000000-0000-4000-8000-0000000000ff'),
        );

        // 45 s later both replicas are alive: only the unknown replica's row goes.
        now = t0 + 45_000;
        await b.heartbeat.beat();
        await a.heartbeat.beat();
        expect(await ids(a.store)).toEqual(['a-1', 'b-1']);

        // B crashes (no more heartbeats, no cleanup); A keeps beating.
        await b.heartbeat.stop();
        now = t0 + 90_000;
        await a.heartbeat.beat();
        expect(await ids(a.store)).toEqual(['a-1', 'b-1']);
        now = t0 + 45_000 + 60_001;
        await a.heartbeat.beat();
        expect(await ids(a.store)).toEqual(['a-1']);
        expect(await a.store.getConnection('b-1')).toBeUndefined();
        expect(await a.store.getConnection('a-1')).toMatchObject({
          replicaId: a.heartbeat.replicaId,
        });
      } finally {
        await a.heartbeat.stop();
        await b.heartbeat.stop();
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  },
);

describe('ReplicaHeartbeat', () => {
  it('refuses a staleness shorter than two heartbeats', async () => {
    await expect(
      ReplicaHeartbeat.start({
        store: {} as SocketStore,
        replicaId: 'r',
        logger: mockServices.logger.mock(),
        intervalMs: 15_000,
        staleAfterMs: 30_000,
      }),
    ).rejects.toThrow(/must exceed twice intervalMs/);
  });
});
