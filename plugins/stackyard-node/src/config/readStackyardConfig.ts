import { resolve } from 'node:path';
import type { Config } from '@backstage/config';
import { CostConfig, readCostConfig } from './cost';
import { DriftConfig, readDriftConfig } from './drift';
import { readApproverGroups, readPlatformAdminGroups } from './platformAdmins';
import { PreviewsConfig, readPreviewsConfig } from './previews';
import { readProtectedStages } from './protectedStages';
import { Target, readTargets } from './targets';

/** The `stackyard.*` settings shared by the backend plugin and its modules. */
export interface StackyardConfig {
  /** Targets by name, in configuration order. */
  readonly targets: ReadonlyMap<string, Target>;
  /** Stages whose environments are never torn down, lower-cased. */
  readonly protectedStages: readonly string[];
  /** Absolute directory for `stackyard:publish:local`, when configured. */
  readonly localPublishDirectory?: string;
  /** Group refs (lower case) whose members may tear down orphan stacks. */
  readonly platformAdminGroups: readonly string[];
  /** Group refs (lower case) whose members may approve broadening deploys. */
  readonly approverGroups: readonly string[];
  /** Scheduled drift checks per target, and how many run at once per account. */
  readonly drift: DriftConfig;
  /** How local previews run: idle sleep, how many at once, caps, data. */
  readonly previews: PreviewsConfig;
  /** Price caching, the pricing target of local stages, the Cost Explorer schedule. */
  readonly cost: CostConfig;
}

/**
 * Reads and checks the shared `stackyard.*` settings, with defaults applied.
 * Throws naming the key's path and quoting its value when one is invalid, so
 * that a misconfiguration stops the backend at startup, with the same
 * message whichever plugin reads it first.
 */
export function readStackyardConfig(config: Config): StackyardConfig {
  const dir = config.getOptionalString(
    'stackyard.scaffolder.localPublishDirectory',
  );
  const targets = readTargets(config);
  return {
    targets,
    protectedStages: readProtectedStages(config),
    localPublishDirectory: dir ? resolve(dir) : undefined,
    platformAdminGroups: readPlatformAdminGroups(config),
    approverGroups: readApproverGroups(config),
    drift: readDriftConfig(config, targets),
    previews: readPreviewsConfig(config),
    cost: readCostConfig(config, targets),
  };
}
