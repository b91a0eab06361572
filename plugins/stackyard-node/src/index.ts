/**
 * Stackyard's backend-only shared code: the one reader of the `stackyard.*`
 * configuration, used by the backend plugin and the backend modules.
 *
 * @packageDocumentation
 */
export { readStackyardConfig } from './config/readStackyardConfig';
export type { StackyardConfig } from './config/readStackyardConfig';
export { DEFAULT_TARGETS, readTargets } from './config/targets';
export type { AwsTarget, LocalTarget, Target } from './config/targets';
export {
  DEFAULT_PROTECTED_STAGES,
  isProtectedStage,
} from './config/protectedStages';
export { selectTarget } from './config/selectTarget';
export {
  readApproverGroups,
  readPlatformAdminGroups,
} from './config/platformAdmins';
export {
  DEFAULT_MAX_DRIFT_CHECKS_PER_ACCOUNT,
  readDriftConfig,
} from './config/drift';
export type { DriftConfig } from './config/drift';
export { readPreviewsConfig } from './config/previews';
export type { PreviewsConfig } from './config/previews';
export { endpointProblem, parseEndpoint } from './config/endpoint';
export { DEFAULT_PRICE_CACHE_HOURS, readCostConfig } from './config/cost';
export type { CostConfig } from './config/cost';
