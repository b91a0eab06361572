import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** Set to `1` (as `.ci/run` does) to make a missing PostgreSQL a failure. */
export const requirePostgresVariable = 'STACKYARD_REQUIRE_POSTGRES';

const postgresIds: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

const urlVariable = (id: TestDatabaseId) =>
  `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`;

/**
 * The databases a suite runs against: embedded SQLite always, plus every
 * PostgreSQL whose connection string is set
 * (`BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`).
 * Throws when PostgreSQL is required but none is configured, so CI can never
 * skip the PostgreSQL suites silently.
 */
export function testDatabaseIds(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabaseId[] {
  const postgres = postgresIds.filter(id => env[urlVariable(id)]);
  if (postgres.length === 0 && env[requirePostgresVariable] === '1') {
    throw new Error(
      `${requirePostgresVariable}=1 but no PostgreSQL is configured: set ` +
        `${urlVariable(
          'POSTGRES_17',
        )} (or the variable for your major version) ` +
        'to a connection string such as postgresql://postgres:postgres@127.0.0.1:5432',
    );
  }
  return [...postgres, 'SQLITE_3'];
}

/**
 * Connection strings of the configured PostgreSQL servers, keyed by id; for
 * tests that start whole backends and so need a server rather than a knex.
 */
export function postgresConnectionStrings(
  env: NodeJS.ProcessEnv = process.env,
): Array<{ id: TestDatabaseId; connectionString: string }> {
  return testDatabaseIds(env)
    .filter(id => id !== 'SQLITE_3')
    .map(id => ({ id, connectionString: env[urlVariable(id)]! }));
}

/** `TestDatabases` for {@link testDatabaseIds}; never starts Docker. */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: testDatabaseIds(), disableDocker: true });
}
