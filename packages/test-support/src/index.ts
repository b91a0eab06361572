export {
  createTestDatabases,
  postgresConnectionStrings,
  requirePostgresVariable,
  testDatabaseIds,
} from './testDatabases';
export { freePort } from './freePort';
export { LoopbackGitHost, LoopbackGitHub, LoopbackGitLab } from './gitHosts';
export type {
  LoopbackGitHostCall,
  LoopbackGitHostOptions,
  LoopbackMergeRequest,
  LoopbackPullRequest,
  LoopbackTokenScope,
} from './gitHosts';
