import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Environment,
  Operation,
} from '@stackyard/plugin-stackyard-common';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';

/** What follows environment changes besides the browsers. */
export type EnvironmentFollower = {
  environmentChanged(environment: Environment): Promise<void>;
};

/**
 * A notifier that also tells local previews and preview sockets about every
 * environment change: every path that tears an environment down (a
 * request, expiry, an orphan teardown) notifies, so the runner stops, its
 * data goes and its sockets close whichever path it was. A follower that
 * fails is logged and never fails the change.
 */
export function followEnvironments(
  notifier: EnvironmentNotifier,
  followers: () => EnvironmentFollower[],
  logger: LoggerService,
): EnvironmentNotifier {
  const follow = async (environment: Environment) => {
    for (const follower of followers()) {
      await follower
        .environmentChanged(environment)
        .catch(error =>
          logger.warn(
            `Could not follow the change of ${environment.stackName} (${environment.id}): ${error}`,
          ),
        );
    }
  };
  return {
    async environmentChanged(environment: Environment) {
      await notifier.environmentChanged(environment);
      await follow(environment);
    },
    // A teardown reports its environment with the operation only.
    async operationChanged(environment: Environment, operation: Operation) {
      await notifier.operationChanged(environment, operation);
      await follow(environment);
    },
    async previewChanged(environmentId: string) {
      await notifier.previewChanged?.(environmentId);
    },
  };
}
