import type { z as zod } from 'zod/v3';

// Input fields several Stackyard actions share, defined once so that the same
// field means, defaults and reads the same in every action (as
// @backstage/plugin-scaffolder-backend-module-github's inputProperties.ts).

/** The service's directory in the task workspace. */
export const appDir = (z: typeof zod) =>
  z
    .string()
    .default('.')
    .describe(
      'Directory of the service (holding stackyard.yaml), relative to the workspace',
    );

/** The stage, e.g. `dev`. */
export const stage = (z: typeof zod) =>
  z.string().describe('Stage, e.g. "dev"');

/** A prefix the action resolves itself (from `branch`) when absent. */
export const optionalPrefix = (z: typeof zod) =>
  z
    .string()
    .optional()
    .describe(
      "Environment prefix; default: resolved from branch and the manifest's project",
    );

/** The prefix of an existing environment. */
export const prefix = (z: typeof zod) =>
  z.string().describe('The environment prefix, e.g. "orders-7"');

/** The git branch a prefix is resolved from. */
export const branch = (z: typeof zod) =>
  z
    .string()
    .optional()
    .describe(
      'Git branch the prefix is resolved from, e.g. "feature/wo-42-add-retries"; absent means the bare project code',
    );

/** The catalog entity an environment belongs to. */
export const entityRef = (z: typeof zod) =>
  z
    .string()
    .describe(
      'The catalog entity the environment belongs to, e.g. "component:default/orders"',
    );

/** A target of `stackyard.targets`. */
export const target = (z: typeof zod) =>
  z.string().default('local').describe('A target name of stackyard.targets');
