import type { Config } from '@backstage/config';
import { configError } from './checks';
import { readMinimumDuration } from './duration';
import type { AwsTarget, Target } from './targets';

/** Cost: how prices are asked for and how often actual costs are refreshed. */
export interface CostConfig {
  /**
   * How often Cost Explorer is read for every aws account, in
   * milliseconds; absent: actual costs are not refreshed (local targets
   * have none).
   */
  readonly refreshMs?: number;
  /** How long a Price List price is reused, in milliseconds. */
  readonly priceCacheMs: number;
  /**
   * The aws target whose account (and endpoint) asks the Price List for
   * estimates of stages deployed to local targets.
   */
  readonly pricingTarget?: AwsTarget;
}

/** The default of `stackyard.cost.priceCacheHours`: prices change rarely. */
export const DEFAULT_PRICE_CACHE_HOURS = 24;

/** Cost Explorer is refreshed at most hourly: its data changes a few times a day. */
const MIN_REFRESH_MS = 3_600_000;

/**
 * Reads `stackyard.cost`: `schedule.frequency` (at least an hour) turns on
 * the scheduled Cost Explorer refresh of every aws account,
 * `priceCacheHours` bounds how long prices are reused, `pricingTarget`
 * names the aws target that prices local stages.
 */
export function readCostConfig(
  config: Config,
  targets: ReadonlyMap<string, Target>,
): CostConfig {
  let refreshMs: number | undefined;
  if (config.has('stackyard.cost.schedule.frequency')) {
    refreshMs = readMinimumDuration(
      config.getConfig('stackyard.cost.schedule'),
      'frequency',
      'stackyard.cost.schedule.frequency',
      { ms: MIN_REFRESH_MS, atLeast: '1 hour' },
    );
  }
  const hours =
    config.getOptionalNumber('stackyard.cost.priceCacheHours') ??
    DEFAULT_PRICE_CACHE_HOURS;
  if (!(hours > 0)) {
    throw configError(
      'stackyard.cost.priceCacheHours',
      hours,
      'must be a positive number',
    );
  }
  const name = config.getOptionalString('stackyard.cost.pricingTarget');
  let pricingTarget: AwsTarget | undefined;
  if (name !== undefined) {
    const target = targets.get(name);
    if (target?.type !== 'aws') {
      throw configError(
        'stackyard.cost.pricingTarget',
        name,
        target
          ? 'is a local target, which has no AWS account to ask prices with'
          : 'is not a configured target',
      );
    }
    pricingTarget = target;
  }
  return { refreshMs, priceCacheMs: hours * 3_600_000, pricingTarget };
}
