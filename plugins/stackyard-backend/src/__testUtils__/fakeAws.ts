import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsTarget, DefaultAwsClientFactory } from '../aws/AwsClientFactory';
import { CloudFormationStacks } from '../aws/CloudFormationStacks';
import { CloudWatchAlarms } from '../aws/CloudWatchAlarms';
import { FakeAwsServer } from './FakeAwsServer';

/** Static, fake credentials: the loopback endpoint does not check signatures. */
export const fakeCredentialsManager: AwsCredentialsManager = {
  async getCredentialProvider() {
    return {
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIDFAKE',
        secretAccessKey: 'fake-secret',
      }),
    };
  },
};

/** An aws target whose endpoint is the loopback server. */
export const fakeTarget = (
  server: FakeAwsServer,
  name = 'sandbox',
): AwsTarget => ({
  name,
  type: 'aws',
  accountId: '123456789012',
  region: 'eu-west-1',
  endpoint: server.url,
});

/** Real SDK-backed gateways pointed at the loopback server, with fast retries. */
export function fakeGateways() {
  const clients = DefaultAwsClientFactory.create({
    credentialsManager: fakeCredentialsManager,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
  });
  return {
    stacks: CloudFormationStacks.create({ clients }),
    alarms: CloudWatchAlarms.create({ clients }),
  };
}
