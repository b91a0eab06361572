/**
 * Scaffolder actions that resolve branch prefixes, synthesize and check,
 * deploy and destroy guarded CDK stacks, and publish to local git
 * repositories.
 *
 * @packageDocumentation
 */
export { scaffolderModuleStackyard as default } from './module';
export {
  createPrefixResolveAction,
  PREFIX_RESOLVE_ACTION_ID,
} from './actions/prefixResolve';
export { createCdkSynthAction, CDK_SYNTH_ACTION_ID } from './actions/cdkSynth';
export {
  createCdkDeployAction,
  CDK_DEPLOY_ACTION_ID,
  LOCAL_PREVIEW_LABEL,
} from './actions/cdkDeploy';
export {
  createCdkDestroyAction,
  CDK_DESTROY_ACTION_ID,
} from './actions/cdkDestroy';
export {
  createPublishLocalAction,
  PUBLISH_LOCAL_ACTION_ID,
} from './actions/publishLocal';
export {
  createTemplateUpgradeAction,
  TEMPLATE_UPGRADE_ACTION_ID,
} from './actions/templateUpgrade';
export {
  createCatalogRegisterLocalAction,
  CATALOG_REGISTER_LOCAL_ACTION_ID,
  LOCAL_REPO_LOCATION_TYPE,
} from './actions/catalogRegisterLocal';
export type {
  CdkDeployer,
  DeployedService,
  ServiceDeployRequest,
} from './deploy/CdkDeployer';
export { BroadeningRefusedError } from './deploy/CdkDeployer';
export { ToolkitCdkDeployer } from './deploy/ToolkitCdkDeployer';
export { readStackyardActionsConfig } from './lib/config';
export type { StackyardActionsConfig } from './lib/config';
// The one target type, from the shared config reader.
export type {
  AwsTarget,
  LocalTarget,
  Target,
} from '@stackyard/plugin-stackyard-node';
export { BackendStackyardEnvironments } from './lib/environments';
export type { StackyardEnvironments } from './lib/environments';
