import { ConflictError } from '@backstage/errors';
import type { DriftConfig } from '@stackyard/plugin-stackyard-node';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { DriftChecker } from './DriftChecker';
import type { DriftStore } from './DriftStore';

/** How often the scheduler looks for environments due a check. */
export const DRIFT_SWEEP_FREQUENCY = { minutes: 5 };

/**
 * Starts the checks that are due: ready environments of each scheduled
 * target whose last check is older than the target's frequency, oldest
 * first, until the account's limit of concurrent checks is reached (the
 * rest wait for the next sweep). Returns how many checks it started.
 */
export async function startDueDriftChecks(options: {
  config: DriftConfig;
  store: EnvironmentStore;
  drift: DriftStore;
  checker: DriftChecker;
  now?: Date;
}): Promise<number> {
  const now = options.now ?? new Date();
  let started = 0;
  for (const [target, frequencyMs] of options.config.scheduleByTarget) {
    const due = await options.drift.listDue(
      target,
      new Date(now.getTime() - frequencyMs),
      options.config.maxConcurrentPerAccount,
    );
    for (const id of due) {
      const environment = await options.store.getEnvironment(id);
      if (!environment) continue;
      try {
        if ((await options.checker.start(environment)).started) started += 1;
      } catch (error) {
        // The account is at its limit: the rest wait for the next sweep.
        if (error instanceof ConflictError) break;
        throw error;
      }
    }
  }
  return started;
}
