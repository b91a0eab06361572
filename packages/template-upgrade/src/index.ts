/**
 * Template upgrades of generated repositories: the origin record, the
 * pristine render branch, and the three-way merge of a newer version.
 *
 * @packageDocumentation
 */
export { upgradeService } from './upgradeService';
export { adoptService } from './adoptService';
export { commitToMain, publishRendered } from './publishRendered';
export {
  findTemplateVersion,
  listTemplateVersions,
  renderTemplate,
} from './renderTemplate';
export type { TemplateVersion } from './renderTemplate';
export {
  ORIGIN_FILE,
  PRISTINE_BRANCH,
  readOrigin,
  upgradeBranchName,
} from './origin';
export { AnswerValidationError } from './answers';
export { entityRefOf } from './entityRef';
export { authorEnv, git, GitError, RECEIVE_PACK } from './git';
export type {
  TemplateOrigin,
  UpgradeConflict,
  UpgradeResult,
  UpgradeServiceOptions,
  UpgradeStage,
  UpgradeSubject,
} from './types';
export {
  pullRequestBody,
  pullRequestTitle,
  resolveHostedRepository,
  upgradeHostedService,
} from './pullRequest';
export type {
  HostCredentialsProviders,
  HostedRepository,
  HostedUpgradeResult,
  PullRequestRef,
  UpgradeHostedServiceOptions,
} from './pullRequest';
