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
  /**
   * How many availability zones VPC-bound resources span. The `network`
   * kind uses at least 2 (a database subnet group and a load balancer need
   * two).
   */
  readonly maxAzs: number;
  /**
   * NAT gateways of the service's VPC. With 0 there are no private subnets
   * with egress: containers run in public subnets with public IPs (the free
   * tier shape); databases and caches stay in isolated subnets either way.
   */
  readonly natGateways: number;
  /** Defaults of the `containers` kind. */
  readonly containerDefaults: ContainerDefaults;
  /** Defaults of the `databases` kind. */
  readonly databaseDefaults: DatabaseDefaults;
  /** Defaults of the `caches` kind. */
  readonly cacheDefaults: CacheDefaults;
  /** Throttling of every route of the `http` kind. */
  readonly httpThrottle: HttpThrottle;
}

/** How a stage sizes Fargate services. */
export interface ContainerDefaults {
  /** Task CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memoryMiB: number;
  /** Tasks each service runs (the autoscaling minimum). */
  readonly desiredCount: number;
  /** Tasks run on Fargate Spot capacity. */
  readonly spot: boolean;
}

/** How a stage sizes RDS PostgreSQL instances. */
export interface DatabaseDefaults {
  /** The instance class without `db.`, e.g. `t3.micro`. */
  readonly instanceType: string;
  /** Allocated storage in GiB. */
  readonly allocatedStorageGiB: number;
  /** A standby in a second availability zone. */
  readonly multiAz: boolean;
  /** Days automated backups are kept. */
  readonly backupRetentionDays: number;
}

/** How a stage sizes ElastiCache Redis. */
export interface CacheDefaults {
  /** The node type, e.g. `cache.t3.micro`. */
  readonly nodeType: string;
  /** Days daily snapshots are kept (0 = none). */
  readonly snapshotRetentionDays: number;
}

/** API Gateway stage throttling. */
export interface HttpThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst of requests allowed above the rate. */
  readonly burstLimit: number;
}

/** Thrown for an unknown stage or an inconsistent stage config. */
export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

/**
 * The built-in stages. `dev` and `prod` hold the dev/prod table of the
 * container systems Stackyard was built from: dev sized for the free tier
 * (no NAT gateway, `db.t3.micro` 20 GiB single-AZ, `cache.t3.micro`,
 * 0.25 vCPU / 0.5 GB Fargate Spot tasks, no alarms), prod Multi-AZ
 * (1 NAT gateway, `db.t3.small` 50 GiB Multi-AZ with 7 days of backups,
 * `cache.t3.small`, 0.5 vCPU / 1 GB on-demand tasks, alarms).
 */
export const BUILT_IN_STAGES: Readonly<Record<string, StageConfig>> = {
  dev: {
    name: 'dev',
    production: false,
    ephemeral: false,
    alarmsEnabled: false,
    logRetentionDays: 7,
    memoryScale: 1,
    maxAzs: 1,
    natGateways: 0,
    containerDefaults: { cpu: 256, memoryMiB: 512, desiredCount: 1, spot: true },
    databaseDefaults: { instanceType: 't3.micro', allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 1 },
    cacheDefaults: { nodeType: 'cache.t3.micro', snapshotRetentionDays: 1 },
    httpThrottle: { rateLimit: 50, burstLimit: 100 },
  },
  preview: {
    name: 'preview',
    production: false,
    ephemeral: true,
    alarmsEnabled: false,
    logRetentionDays: 3,
    memoryScale: 1,
    maxAzs: 1,
    natGateways: 0,
    containerDefaults: { cpu: 256, memoryMiB: 512, desiredCount: 1, spot: true },
    databaseDefaults: { instanceType: 't3.micro', allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 1 },
    cacheDefaults: { nodeType: 'cache.t3.micro', snapshotRetentionDays: 0 },
    httpThrottle: { rateLimit: 50, burstLimit: 100 },
  },
  staging: {
    name: 'staging',
    production: false,
    ephemeral: false,
    alarmsEnabled: true,
    logRetentionDays: 30,
    memoryScale: 1,
    maxAzs: 2,
    natGateways: 1,
    containerDefaults: { cpu: 256, memoryMiB: 512, desiredCount: 1, spot: false },
    databaseDefaults: { instanceType: 't3.micro', allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 7 },
    cacheDefaults: { nodeType: 'cache.t3.micro', snapshotRetentionDays: 1 },
    httpThrottle: { rateLimit: 100, burstLimit: 200 },
  },
  prod: {
    name: 'prod',
    production: true,
    ephemeral: false,
    alarmsEnabled: true,
    logRetentionDays: 90,
    memoryScale: 2,
    maxAzs: 2,
    natGateways: 1,
    containerDefaults: { cpu: 512, memoryMiB: 1024, desiredCount: 2, spot: false },
    databaseDefaults: { instanceType: 't3.small', allocatedStorageGiB: 50, multiAz: true, backupRetentionDays: 7 },
    cacheDefaults: { nodeType: 'cache.t3.small', snapshotRetentionDays: 7 },
    httpThrottle: { rateLimit: 500, burstLimit: 1000 },
  },
};

/** The stage config keys that hold objects, merged key by key. */
const NESTED_KEYS: readonly ('containerDefaults' | 'databaseDefaults' | 'cacheDefaults' | 'httpThrottle')[] = [
  'containerDefaults',
  'databaseDefaults',
  'cacheDefaults',
  'httpThrottle',
];

/** A team's own stage, or changes to a built-in one. */
export interface StageConfigOverride
  extends Partial<
    Omit<StageConfig, 'name' | 'containerDefaults' | 'databaseDefaults' | 'cacheDefaults' | 'httpThrottle'>
  > {
  /** Changes to the container defaults, merged with the base stage's. */
  readonly containerDefaults?: Partial<ContainerDefaults>;
  /** Changes to the database defaults, merged with the base stage's. */
  readonly databaseDefaults?: Partial<DatabaseDefaults>;
  /** Changes to the cache defaults, merged with the base stage's. */
  readonly cacheDefaults?: Partial<CacheDefaults>;
  /** Changes to the HTTP API throttling, merged with the base stage's. */
  readonly httpThrottle?: Partial<HttpThrottle>;
  /**
   * The stage this one starts from.
   *
   * @default - the built-in stage of the same name, else `dev`
   */
  readonly extends?: string;
}

/** The manifest's stages as overrides: each stage without its function and container sizes and its budget. */
export function stageOverridesOf(
  manifest: ServiceManifest,
): Record<string, StageConfigOverride> {
  const overrides: Record<string, StageConfigOverride> = {};
  for (const [name, { functions: _f, containers: _c, budget: _b, ...config }] of Object.entries(
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
  const whole = (label: string, value: number, min: number, max: number) => {
    if (!(Number.isInteger(value) && value >= min && value <= max)) {
      problems.push(
        `stage ${quoteValue(config.name)} ${label} ${quoteValue(value)} must be an integer from ${min} to ${max}`,
      );
    }
  };
  whole('natGateways', config.natGateways, 0, config.maxAzs);
  whole('containerDefaults.desiredCount', config.containerDefaults.desiredCount, 1, 100);
  whole('databaseDefaults.allocatedStorageGiB', config.databaseDefaults.allocatedStorageGiB, 20, 65536);
  whole('databaseDefaults.backupRetentionDays', config.databaseDefaults.backupRetentionDays, 0, 35);
  whole('cacheDefaults.snapshotRetentionDays', config.cacheDefaults.snapshotRetentionDays, 0, 35);
  whole('httpThrottle.burstLimit', config.httpThrottle.burstLimit, 1, 5000);
  if (!(config.httpThrottle.rateLimit > 0 && config.httpThrottle.rateLimit <= 10000)) {
    problems.push(
      `stage ${quoteValue(config.name)} httpThrottle.rateLimit ${quoteValue(
        config.httpThrottle.rateLimit,
      )} must be greater than 0 and at most 10000`,
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
  const merged: Record<string, unknown> = { ...base, ...changes, name: stage };
  for (const key of NESTED_KEYS) {
    merged[key] = { ...base[key], ...changes[key] };
  }
  const config = merged as unknown as StageConfig;
  const problems = checkStageConfig(config);
  if (problems.length > 0) {
    throw new StageConfigError(problems.join('; '));
  }
  return config;
}
