/**
 * Stackyard's isomorphic rules and types, used by the backend, the frontend,
 * the scaffolder actions and the CDK guardrails.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './api';
export * from './naming';
export * from './cost';
export { compareVersions } from './versions';
