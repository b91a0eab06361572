/**
 * The pieces of the sandbox other runners share, without the CDK: the
 * permission model's flags, the check that it is in effect, and the lock-down
 * of what it leaves open. Runners of code from a repository (such as
 * `@stackyard/preview-runtime`) import `@stackyard/cdk-guardrails/sandbox`
 * so they do not load aws-cdk-lib.
 *
 * @packageDocumentation
 */
export { permissionFlags } from './permissionFlags';
export type { SandboxFsAccess } from './permissionFlags';
export { lockDown, permissionProblem } from './lockDown';
export { findPackage, packageClosure } from './packageClosure';
export type { LockDownOptions } from './lockDown';
