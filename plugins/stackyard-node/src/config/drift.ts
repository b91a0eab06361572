import type { Config } from '@backstage/config';
import { configError } from './checks';
import { readMinimumDuration } from './duration';
import type { Target } from './targets';

/** Drift checks: which targets are checked on a schedule, and how many at once. */
export interface DriftConfig {
  /**
   * How often each target's environments are checked, in milliseconds, by
   * target name. Targets not listed are checked only when someone asks.
   */
  readonly scheduleByTarget: ReadonlyMap<string, number>;
  /** Drift detections running at once in one AWS account, at most. */
  readonly maxConcurrentPerAccount: number;
}

/** The default of `stackyard.drift.maxConcurrentPerAccount`. */
export const DEFAULT_MAX_DRIFT_CHECKS_PER_ACCOUNT = 2;

/** The shortest schedule: detection reads every resource of a stack. */
const MIN_FREQUENCY_MS = 5 * 60_000;

function frequencyMs(config: Config, key: string, path: string): number {
  return readMinimumDuration(config, key, path, {
    ms: MIN_FREQUENCY_MS,
    atLeast: '5 minutes',
  });
}

/**
 * Reads `stackyard.drift`: `schedule.frequency` applies to every aws
 * target, `schedule.targets.<name>.frequency` to one (overriding it);
 * without either, drift is only checked on request.
 */
export function readDriftConfig(
  config: Config,
  targets: ReadonlyMap<string, Target>,
): DriftConfig {
  const scheduleByTarget = new Map<string, number>();
  const schedule = config.getOptionalConfig('stackyard.drift.schedule');
  if (schedule?.has('frequency')) {
    const every = frequencyMs(
      schedule,
      'frequency',
      'stackyard.drift.schedule.frequency',
    );
    for (const target of targets.values()) {
      if (target.type === 'aws') scheduleByTarget.set(target.name, every);
    }
  }
  const perTarget = schedule?.getOptionalConfig('targets');
  for (const name of perTarget?.keys() ?? []) {
    const path = `stackyard.drift.schedule.targets.${name}`;
    const target = targets.get(name);
    if (target?.type !== 'aws') {
      throw configError(
        path,
        name,
        target
          ? 'is a local target, which has no stacks to check'
          : 'is not a configured target',
      );
    }
    scheduleByTarget.set(
      name,
      frequencyMs(perTarget!.getConfig(name), 'frequency', `${path}.frequency`),
    );
  }
  const max =
    config.getOptionalNumber('stackyard.drift.maxConcurrentPerAccount') ??
    DEFAULT_MAX_DRIFT_CHECKS_PER_ACCOUNT;
  if (!Number.isInteger(max) || max < 1) {
    throw configError(
      'stackyard.drift.maxConcurrentPerAccount',
      max,
      'must be a positive whole number',
    );
  }
  return { scheduleByTarget, maxConcurrentPerAccount: max };
}
