import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { LoopbackAws } from '@stackyard/test-support/aws';
import { AwsTarget, DefaultAwsClientFactory } from '../aws/AwsClientFactory';
import { CloudFormationStacks } from '../aws/CloudFormationStacks';
import { CloudWatchAlarms } from '../aws/CloudWatchAlarms';

/** Static credentials: the loopback endpoint does not check signatures. */
export const loopbackCredentialsManager: AwsCredentialsManager = {
  async getCredentialProvider() {
    return {
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIDLOOPBACK',
        secretAccessKey: 'loopback-secret',
      }),
    };
  },
};

/** An aws target whose endpoint is the loopback AWS endpoint. */
export const loopbackTarget = (
  aws: LoopbackAws,
  name = 'sandbox',
): AwsTarget => ({
  name,
  type: 'aws',
  accountId: aws.account,
  region: aws.region,
  endpoint: aws.url,
});

/** AWS client options for loopback targets: static credentials, fast retries. */
export const loopbackAwsClients = {
  credentialsManager: loopbackCredentialsManager,
  retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
};

/** Real SDK-backed gateways for loopback targets, with fast retries. */
export function loopbackGateways() {
  const clients = DefaultAwsClientFactory.create(loopbackAwsClients);
  return {
    stacks: CloudFormationStacks.create({ clients }),
    alarms: CloudWatchAlarms.create({ clients }),
  };
}
