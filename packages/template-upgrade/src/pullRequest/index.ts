export { upgradeHostedService } from './upgradeHostedService';
export type {
  HostedUpgradeResult,
  UpgradeHostedServiceOptions,
} from './upgradeHostedService';
export { resolveHostedRepository } from './hostedRepository';
export type { HostedRepository } from './hostedRepository';
export type { HostCredentialsProviders } from './hostCredentials';
export type { PullRequestRef } from './hostApi';
export { pullRequestBody, pullRequestTitle } from './pullRequestText';
