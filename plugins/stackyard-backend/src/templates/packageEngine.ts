import { dirname } from 'node:path';
import { upgradeService } from '@stackyard/template-upgrade';
import type { UpgradeEngine } from './UpgradeEngine';

/**
 * The {@link UpgradeEngine} of `@stackyard/template-upgrade`: the template's
 * folder holds its current version and `versions/<version>/` the earlier
 * ones; the service's tests and the policy run on the merged result
 * (skipped when there are conflicts).
 */
export function packageUpgradeEngine(): UpgradeEngine {
  return async request => {
    const result = await upgradeService({
      repoDir: request.repoDir,
      templateDirs: [dirname(request.templateDir)],
      toVersion: request.toVersion,
      onProgress: event => request.onProgress(event.message),
    });
    return {
      branch: result.branch,
      conflicts: result.conflicts,
      testsPassed: result.testsPassed ?? undefined,
      policyPassed: result.policyPassed ?? undefined,
    };
  };
}
