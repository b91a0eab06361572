import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  type StackyardConfig,
  readStackyardConfig,
} from '@stackyard/plugin-stackyard-node';

/**
 * Everything the backend reads from `stackyard.*`, with defaults applied:
 * the shared keys (targets, protected stages; read by
 * `@stackyard/plugin-stackyard-node`) and the backend's own.
 */
export type StackyardOptions = StackyardConfig & {
  reconcileSchedule: SchedulerServiceTaskScheduleDefinition;
  operationsSchedule: SchedulerServiceTaskScheduleDefinition;
  pendingGraceMs: number;
  deployTimeoutMs: number;
  maxExtensionHours: number;
  defaultTtlHours: number;
  eventRetention: number;
  aws: { maxAttempts: number; baseDelayMs: number };
  sockets: { recentFrames: number; remoteTimeoutMs: number };
};

function schedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const section = config.getOptionalConfig(key);
  const read = section
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(section)
    : fallback;
  return { ...read, scope: 'global' };
}

function positive(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${key} must be a positive number, got ${value}`);
  }
  return value;
}

/** Reads and checks Stackyard's configuration. */
export function readOptions(config: Config): StackyardOptions {
  return {
    ...readStackyardConfig(config),
    reconcileSchedule: schedule(config, 'stackyard.reconciler.schedule', {
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 15 },
    }),
    operationsSchedule: schedule(config, 'stackyard.operations.schedule', {
      frequency: { seconds: 10 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 5 },
    }),
    pendingGraceMs:
      positive(config, 'stackyard.operations.pendingGraceSeconds', 120) * 1000,
    deployTimeoutMs:
      positive(config, 'stackyard.operations.deployTimeoutMinutes', 180) *
      60_000,
    maxExtensionHours: positive(
      config,
      'stackyard.previews.maxExtensionHours',
      168,
    ),
    defaultTtlHours: positive(config, 'stackyard.previews.defaultTtlHours', 72),
    eventRetention: positive(
      config,
      'stackyard.events.retentionPerEnvironment',
      500,
    ),
    aws: {
      maxAttempts: positive(config, 'stackyard.aws.maxAttempts', 5),
      baseDelayMs: positive(config, 'stackyard.aws.retryBaseDelayMs', 200),
    },
    sockets: {
      recentFrames: Math.floor(
        positive(config, 'stackyard.sockets.recentFrames', 200),
      ),
      remoteTimeoutMs:
        positive(config, 'stackyard.sockets.remoteTimeoutSeconds', 5) * 1000,
    },
  };
}
