export { StackyardNameError, quoteValue } from './errors';
export {
  MAX_PREFIX_LENGTH,
  MAX_STACK_NAME_LENGTH,
  MAX_STAGE_LENGTH,
  assertValidStackName,
  stackNameFor,
  validatePrefix,
  validateStackName,
  validateStage,
} from './stackName';
export {
  DEFAULT_ISOLATED_BRANCH_TYPES,
  resolvePrefix,
  resolvePrefixWithSource,
} from './resolvePrefix';
export type {
  PrefixSource,
  ResolvePrefixOptions,
  ResolvedPrefix,
} from './resolvePrefix';
export {
  DEFAULT_TTL_TAG_VALUE,
  MAX_TAGS,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  STACKYARD_TAG_KEYS,
  assertValidTags,
  validateTags,
} from './tags';
