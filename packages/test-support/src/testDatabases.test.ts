import { postgresConnectionStrings, testDatabaseIds } from './testDatabases';

describe('testDatabaseIds', () => {
  it('uses only SQLite when no PostgreSQL is configured', () => {
    expect(testDatabaseIds({})).toEqual(['SQLITE_3']);
  });

  it('adds the PostgreSQL whose connection string is set', () => {
    const env = {
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
        'postgresql://postgres@127.0.0.1:5432',
    };
    expect(testDatabaseIds(env)).toEqual(['POSTGRES_15', 'SQLITE_3']);
  });

  it('fails when PostgreSQL is required but not configured', () => {
    expect(() => testDatabaseIds({ STACKYARD_REQUIRE_POSTGRES: '1' })).toThrow(
      /STACKYARD_REQUIRE_POSTGRES=1 but no PostgreSQL is configured/,
    );
  });

  it('gives the connection string of each configured PostgreSQL', () => {
    const url = 'postgresql://postgres@127.0.0.1:5432';
    expect(
      postgresConnectionStrings({
        BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING: url,
      }),
    ).toEqual([{ id: 'POSTGRES_16', connectionString: url }]);
  });
});
