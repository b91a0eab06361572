import { mockServices } from '@backstage/backend-test-utils';
import { knex as createKnex, Knex } from 'knex';
import { DatabaseEnvironmentStore } from '../database/DatabaseEnvironmentStore';
import { SocketStore } from './SocketStore';

/**
 * An in-memory SQLite database as Backstage's dev store opens it: one
 * connection, which whoever holds it keeps until they let go.
 */
async function inMemorySqlite(): Promise<Knex> {
  const knex = createKnex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  // The plugin's migrations create the socket tables.
  await DatabaseEnvironmentStore.create({
    database: mockServices.database({ knex }),
    protectedStages: [],
    eventRetention: 10,
  });
  return knex;
}

describe('SocketStore.removeReplica (shutdown write) on in-memory SQLite', () => {
  let knex: Knex;
  let store: SocketStore;

  beforeEach(async () => {
    knex = await inMemorySqlite();
    store = SocketStore.create({ knex });
    await store.heartbeat('replica-a', new Date());
  });
  afterEach(async () => {
    await knex.destroy();
  });

  const replicaRows = () =>
    knex('stackyard_socket_replicas').where({ replica_id: 'replica-a' });

  it("removes the replica's rows when the database answers", async () => {
    const logger = { warn: jest.fn() };
    await expect(
      store.removeReplica('replica-a', { timeoutMs: 2000, logger }),
    ).resolves.toBe(true);
    expect(await replicaRows()).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('gives up within its bound, saying the heartbeat expires the rows, while another shutdown hook holds the only connection', async () => {
    // As Backstage's dev-store shutdown hook does with :memory:.
    const holder = await knex.transaction();
    const logger = { warn: jest.fn() };
    const started = Date.now();
    await expect(
      store.removeReplica('replica-a', { timeoutMs: 300, logger }),
    ).resolves.toBe(false);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    // knex alone would wait acquireConnectionTimeout (60 s).
    expect(elapsed).toBeLessThan(2000);
    expect(logger.warn).toHaveBeenCalledWith(
      "Preview sockets: could not remove replica replica-a's rows within 300 ms at shutdown; the replica heartbeat of a live replica (or of the next start) expires them once they are stale",
    );
    await holder.rollback();
    // The given-up write still runs once the connection is free, harmlessly.
    for (let i = 0; i < 100 && (await replicaRows()).length > 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(await replicaRows()).toEqual([]);
  });
});
