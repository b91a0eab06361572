import { dirname } from 'node:path';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import { upgradeService } from '@stackyard/template-upgrade';
import type { UpgradeEngine } from './UpgradeEngine';

/**
 * The {@link UpgradeEngine} of `@stackyard/template-upgrade`: the template's
 * folder holds its current version and `versions/<version>/` the earlier
 * ones; the service's tests and the policy run on the merged result
 * (skipped when there are conflicts). A service whose manifest has an
 * extension (repository code) is synthesized in `sandbox`, the backend's
 * pool that previews synthesize in; without one its policy is not checked.
 */
export function packageUpgradeEngine(
  options: { sandbox?: SandboxPool } = {},
): UpgradeEngine {
  return async request => {
    const result = await upgradeService({
      repoDir: request.repoDir,
      templateDirs: [dirname(request.templateDir)],
      toVersion: request.toVersion,
      sandbox: options.sandbox,
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
