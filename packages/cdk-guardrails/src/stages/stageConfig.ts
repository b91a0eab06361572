import { quoteValue, validateStage } from '@stackyard/plugin-stackyard-common';
import type { ServiceManifest } from '../manifest/schema';
import { MAX_TTL_HOURS } from './limits';

/**
 * What a stage means for the resources of a service: removal policies,
 * alarms, retention and sizes. Built-in stages are `dev`, `staging`, `prod`
 * and `preview`; teams add their own with {@link resolveStageConfig}.
 */
export interface StageConfig {
  /** The stage name, e.g. `prod`. */
  readonly name: string;
  /**
   * Production rules apply: stateful resources are retained, the stack gets
   * termination protection and the policy requires Retain policies.
   */
  readonly production: boolean;
  /**
   * The stage is an ephemeral preview: stateful resources may be destroyed
   * with the stack (no deletion protection, DESTROY removal policy).
   * Never true together with `production`.
   */
  readonly ephemeral: boolean;
  /**
   * Hours the stacks of an ephemeral stage live before the portal tears
   * them down, recorded in the `stackyard:ttl-hours` tag. Only for
   * ephemeral stages.
   *
   * @default - the portal's `stackyard.previews.defaultTtlHours`
   */
  readonly ttlHours?: number;
  /** CloudWatch alarms, their SNS topic and the dashboard are created. */
  readonly alarmsEnabled: boolean;
  /** Days CloudWatch Logs keep function and access logs. */
  readonly logRetentionDays: number;
  /** Factor applied to every function's memory size (1 = as declared). */
  readonly memoryScale: number;
  /** How many availability zones custom VPC-bound code should span. */
  readonly maxAzs: number;
}

/** Thrown for an unknown stage or an inconsistent stage config. */
export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

/** The built-in stages, in the spirit of a dev/prod sizing table. */
export const BUILT_IN_STAGES: Readonly<Record<string, StageConfig>> = {
  dev: {
    name: 'dev',
    production: false,
    ephemeral: false,
    alarmsEnabled: false,
    logRetentionDays: 7,
    memoryScale: 1,
    maxAzs: 1,
  },
  preview: {
    name: 'preview',
    production: false,
    ephemeral: true,
    alarmsEnabled: false,
    logRetentionDays: 3,
    memoryScale: 1,
    maxAzs: 1,
  },
  staging: {
    name: 'staging',
    production: false,
    ephemeral: false,
    alarmsEnabled: true,
    logRetentionDays: 30,
    memoryScale: 1,
    maxAzs: 2,
  },
  prod: {
    name: 'prod',
    production: true,
    ephemeral: false,
    alarmsEnabled: true,
    logRetentionDays: 90,
    memoryScale: 2,
    maxAzs: 2,
  },
};

/** A team's own stage, or changes to a built-in one. */
export interface StageConfigOverride extends Partial<Omit<StageConfig, 'name'>> {
  /**
   * The stage this one starts from.
   *
   * @default - the built-in stage of the same name, else `dev`
   */
  readonly extends?: string;
}

/** The manifest's stages as overrides: each stage without its function sizes. */
export function stageOverridesOf(
  manifest: ServiceManifest,
): Record<string, StageConfigOverride> {
  const overrides: Record<string, StageConfigOverride> = {};
  for (const [name, { functions: _f, ...config }] of Object.entries(
    manifest.stages ?? {},
  )) {
    overrides[name] = config;
  }
  return overrides;
}

const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
];

function checkStageConfig(config: StageConfig): string[] {
  const problems: string[] = [];
  if (config.production && config.ephemeral) {
    problems.push(
      `stage ${quoteValue(config.name)} cannot be both production and ephemeral`,
    );
  }
  if (config.ttlHours !== undefined) {
    if (!config.ephemeral) {
      problems.push(
        `stage ${quoteValue(config.name)} has ttlHours but is not ephemeral: only ephemeral stages expire`,
      );
    }
    if (!(config.ttlHours > 0 && config.ttlHours <= MAX_TTL_HOURS)) {
      problems.push(
        `stage ${quoteValue(config.name)} ttlHours ${quoteValue(
          config.ttlHours,
        )} must be greater than 0 and at most ${MAX_TTL_HOURS}`,
      );
    }
  }
  if (!RETENTION_DAYS.includes(config.logRetentionDays)) {
    problems.push(
      `stage ${quoteValue(config.name)} logRetentionDays ${quoteValue(
        config.logRetentionDays,
      )} is not a CloudWatch Logs retention: use one of ${RETENTION_DAYS.join(
        ', ',
      )}`,
    );
  }
  if (!(config.memoryScale > 0 && config.memoryScale <= 8)) {
    problems.push(
      `stage ${quoteValue(config.name)} memoryScale ${quoteValue(
        config.memoryScale,
      )} must be greater than 0 and at most 8`,
    );
  }
  if (!(Number.isInteger(config.maxAzs) && config.maxAzs >= 1)) {
    problems.push(
      `stage ${quoteValue(config.name)} maxAzs ${quoteValue(
        config.maxAzs,
      )} must be a positive integer`,
    );
  }
  return problems;
}

/**
 * The configuration of `stage`: a built-in stage, a team's own stage from
 * `overrides`, or a built-in stage changed by `overrides`. Throws an error
 * quoting the stage name when it is unknown or the result is inconsistent.
 */
export function resolveStageConfig(
  stage: string,
  overrides: Readonly<Record<string, StageConfigOverride>> = {},
): StageConfig {
  const nameProblems = validateStage(stage);
  if (nameProblems.length > 0) {
    throw new StageConfigError(nameProblems.join('; '));
  }
  const override = Object.prototype.hasOwnProperty.call(overrides, stage)
    ? overrides[stage]
    : undefined;
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_STAGES, stage)
    ? BUILT_IN_STAGES[stage]
    : undefined;
  if (!override && !builtIn) {
    throw new StageConfigError(
      `unknown stage ${quoteValue(stage)}: use one of ${[
        ...new Set([...Object.keys(BUILT_IN_STAGES), ...Object.keys(overrides)]),
      ].join(', ')} or define it under stages`,
    );
  }
  const baseName = override?.extends ?? (builtIn ? stage : 'dev');
  const base = Object.prototype.hasOwnProperty.call(BUILT_IN_STAGES, baseName)
    ? BUILT_IN_STAGES[baseName]
    : undefined;
  if (!base) {
    throw new StageConfigError(
      `stage ${quoteValue(stage)} extends unknown stage ${quoteValue(
        baseName,
      )}: use one of ${Object.keys(BUILT_IN_STAGES).join(', ')}`,
    );
  }
  const { extends: _ignored, ...changes } = override ?? {};
  const config: StageConfig = { ...base, ...changes, name: stage };
  const problems = checkStageConfig(config);
  if (problems.length > 0) {
    throw new StageConfigError(problems.join('; '));
  }
  return config;
}
