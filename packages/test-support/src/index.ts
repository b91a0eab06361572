export {
  createTestDatabases,
  postgresConnectionStrings,
  requirePostgresVariable,
  testDatabaseIds,
} from './testDatabases';
