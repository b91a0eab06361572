export {
  createTestDatabases,
  requirePostgresVariable,
  testDatabaseIds,
} from './testDatabases';
