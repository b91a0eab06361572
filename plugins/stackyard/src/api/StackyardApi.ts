import { createApiRef } from '@backstage/core-plugin-api';
import type { StackyardClient } from '@stackyard/plugin-stackyard-common';

/**
 * What the Infra tab, the platform page and the wizard's pickers need from the stackyard-backend
 * API; implemented by `StackyardClient` from
 * `@stackyard/plugin-stackyard-common`.
 */
export type StackyardApi = Pick<
  StackyardClient,
  | 'listEnvironments'
  | 'getEnvironment'
  | 'teardown'
  | 'extendExpiry'
  | 'getOperation'
  | 'getResources'
  | 'getSockets'
  | 'sendToConnection'
  | 'disconnect'
  | 'rotateConnectionKey'
  | 'checkDrift'
  | 'getApproval'
  | 'decideApproval'
  | 'getDrift'
  | 'getEnvironmentCost'
  | 'getCostCenterTotals'
  | 'listOrphans'
  | 'teardownOrphan'
  | 'invokeFunction'
  | 'getPreviewLogs'
  | 'listTargets'
  | 'listTemplates'
  | 'startTemplateUpgrades'
  | 'listTemplateUpgrades'
>;

/** The plugin's client of the stackyard-backend API. */
export const stackyardApiRef = createApiRef<StackyardApi>({
  id: 'plugin.stackyard.api',
});
