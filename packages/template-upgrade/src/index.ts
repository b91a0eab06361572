/**
 * Template upgrades of generated repositories: the origin record, the
 * pristine render branch, and the three-way merge of a newer version.
 *
 * @packageDocumentation
 */
export { upgradeService } from './upgradeService';
export { adoptService } from './adoptService';
export { renderTemplate, findTemplateVersion } from './renderTemplate';
export {
  ORIGIN_FILE,
  PRISTINE_BRANCH,
  readOrigin,
  upgradeBranchName,
} from './origin';
export { AnswerValidationError } from './answers';
export type {
  TemplateOrigin,
  UpgradeConflict,
  UpgradeResult,
  UpgradeServiceOptions,
  UpgradeStage,
} from './types';
