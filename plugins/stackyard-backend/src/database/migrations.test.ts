import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { migrateDatabase, migrationConfig } from './migrateDatabase';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('creates the tables, is repeatable, and rolls back cleanly', async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    await migrateDatabase(database, knex);
    await migrateDatabase(database, knex);
    for (const table of [
      'stackyard_environments',
      'stackyard_operations',
      'stackyard_events',
      'stackyard_socket_apis',
      'stackyard_socket_connections',
      'stackyard_stack_resources',
      'stackyard_drift_resources',
      'stackyard_orphan_stacks',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    expect(
      await knex.schema.hasColumn(
        'stackyard_environments',
        'active_operation_id',
      ),
    ).toBe(true);
    expect(
      await knex.schema.hasColumn('stackyard_environments', 'drift_status'),
    ).toBe(true);

    // The directory is explicit: jest may run from the repository root.
    await knex.migrate.rollback(migrationConfig, true);
    expect(await knex.schema.hasTable('stackyard_environments')).toBe(false);
    expect(await knex.schema.hasTable('stackyard_socket_apis')).toBe(false);
    expect(await knex.schema.hasTable('stackyard_stack_resources')).toBe(false);
    expect(await knex.schema.hasTable('stackyard_orphan_stacks')).toBe(false);
    expect(await knex.schema.hasTable('stackyard_drift_resources')).toBe(false);
  });

  it('skips migrations when the database service says so', async () => {
    const knex = await databases.init(databaseId);
    await migrateDatabase(
      { ...mockServices.database({ knex }), migrations: { skip: true } },
      knex,
    );
    expect(await knex.schema.hasTable('stackyard_environments')).toBe(false);
  });
});
