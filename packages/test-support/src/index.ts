export {
  createTestDatabases,
  postgresConnectionStrings,
  requirePostgresVariable,
  testDatabaseIds,
} from './testDatabases';
export { freePort } from './freePort';
