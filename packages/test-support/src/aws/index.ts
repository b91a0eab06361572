export { LoopbackAws, BOOTSTRAP_QUALIFIER } from './LoopbackAws';
export type { LoopbackAwsOptions } from './LoopbackAws';
export { LoopbackCloudFormation } from './cloudFormation';
export { LoopbackCloudWatch } from './cloudWatch';
export { LoopbackCostExplorer } from './costExplorer';
export type { LoopbackCostRecord } from './costExplorer';
export { LoopbackPricing } from './pricing';
export type { LoopbackPriceProduct } from './pricing';
export type { LoopbackAlarm } from './cloudWatch';
export { LoopbackS3, decodeAwsChunked } from './s3';
export type { LoopbackObject } from './s3';
export { LoopbackSsm } from './ssm';
export { LoopbackSts } from './sts';
export type {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
} from './protocol';
export { serviceOf } from './route';
export { detectDrift, propertyDifferences } from './stackDrift';
export type {
  ActualProperties,
  DriftDetection,
  PropertyDifference,
  ResourceDrift,
} from './stackDrift';
export type {
  ChangeSet,
  LoopbackStack,
  ResourceChange,
  StackEvent,
  StackResource,
  StackSeed,
  StackTemplate,
} from './stacks';
