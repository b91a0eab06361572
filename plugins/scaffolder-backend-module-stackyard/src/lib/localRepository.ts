import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import type { StackyardActionsConfig } from './config';

/** A repository name local publishing takes: a directory name, never a path. */
const REPO_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Where the locally published repository `repoName` lives (whether or not it
 * exists yet): refused when local publishing is off or the name is not one
 * it takes, and always inside the publish directory.
 */
export function localRepositoryPath(
  config: StackyardActionsConfig,
  repoName: string,
): string {
  const directory = config.localPublishDirectory;
  if (!directory) {
    throw new InputError(
      'Local publishing is off: set stackyard.scaffolder.localPublishDirectory in app-config',
    );
  }
  if (!REPO_NAME.test(repoName)) {
    throw new InputError(
      `repoName ${quoteValue(
        repoName,
      )} is not allowed: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters`,
    );
  }
  return resolveSafeChildPath(directory, repoName);
}
