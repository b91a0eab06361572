import { dirname } from 'node:path';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import {
  resolveHostedRepository,
  upgradeHostedService,
  upgradeService,
} from '@stackyard/template-upgrade';
import type { UpgradeEngine } from './UpgradeEngine';

/**
 * The {@link UpgradeEngine} of `@stackyard/template-upgrade`: the template's
 * folder holds its current version and `versions/<version>/` the earlier
 * ones; the service's tests and the policy run on the merged result
 * (skipped when there are conflicts). A service whose manifest has an
 * extension (repository code) is synthesized in `sandbox`, the backend's
 * pool that previews synthesize in; without one its policy is not checked.
 * Repositories on GitHub or GitLab hosts `integrations` configure get the
 * branch pushed and a pull (merge) request, whose URL the result carries.
 */
export function packageUpgradeEngine(
  options: {
    sandbox?: SandboxPool;
    integrations?: ScmIntegrationRegistry;
  } = {},
): UpgradeEngine {
  const { integrations } = options;
  const engine: UpgradeEngine = async request => {
    const common = {
      templateDirs: [dirname(request.templateDir)],
      toVersion: request.toVersion,
      sandbox: options.sandbox,
      onProgress: (event: { message: string }) =>
        request.onProgress(event.message),
    };
    if (request.repoDir) {
      const result = await upgradeService({
        ...common,
        repoDir: request.repoDir,
      });
      return {
        branch: result.branch,
        conflicts: result.conflicts,
        testsPassed: result.testsPassed ?? undefined,
        policyPassed: result.policyPassed ?? undefined,
      };
    }
    if (!request.repoUrl || !integrations) {
      throw new Error(
        'The repository is neither published locally nor on a Git host with an integration',
      );
    }
    const result = await upgradeHostedService({
      ...common,
      repoUrl: request.repoUrl,
      integrations,
    });
    return {
      branch: result.branch,
      conflicts: result.conflicts,
      testsPassed: result.testsPassed ?? undefined,
      policyPassed: result.policyPassed ?? undefined,
      pullRequestUrl: result.pullRequest.url,
    };
  };
  if (integrations) {
    engine.hostedRepositories = url => {
      try {
        resolveHostedRepository(url, integrations);
        return true;
      } catch {
        return false;
      }
    };
  }
  return engine;
}
