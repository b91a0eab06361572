import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { BackoffOptions, BackoffRetryStrategy } from './BackoffRetryStrategy';

/** An AWS target: an account and region. */
export type AwsTarget = Extract<Target, { type: 'aws' }>;

/** Creates (and reuses) SDK clients per account, region and endpoint. */
export interface AwsClientFactory {
  cloudFormation(target: AwsTarget): Promise<CloudFormationClient>;
  cloudWatch(target: AwsTarget): Promise<CloudWatchClient>;
}

/**
 * {@link AwsClientFactory} with credentials from `aws.accounts`
 * (`@backstage/integration-aws-node`); credentials stay in the backend.
 */
export class DefaultAwsClientFactory implements AwsClientFactory {
  private readonly cloudFormationClients = new Map<
    string,
    Promise<CloudFormationClient>
  >();
  private readonly cloudWatchClients = new Map<
    string,
    Promise<CloudWatchClient>
  >();

  static create(options: {
    credentialsManager: AwsCredentialsManager;
    retry?: BackoffOptions;
  }): DefaultAwsClientFactory {
    return new DefaultAwsClientFactory(
      options.credentialsManager,
      options.retry ?? {},
    );
  }

  private constructor(
    private readonly credentialsManager: AwsCredentialsManager,
    private readonly retry: BackoffOptions,
  ) {}

  cloudFormation(target: AwsTarget): Promise<CloudFormationClient> {
    return this.cached(
      this.cloudFormationClients,
      target,
      async () => new CloudFormationClient(await this.clientConfig(target)),
    );
  }

  cloudWatch(target: AwsTarget): Promise<CloudWatchClient> {
    return this.cached(
      this.cloudWatchClients,
      target,
      async () => new CloudWatchClient(await this.clientConfig(target)),
    );
  }

  private async clientConfig(target: AwsTarget) {
    const { sdkCredentialProvider } =
      await this.credentialsManager.getCredentialProvider({
        accountId: target.accountId,
      });
    return {
      region: target.region,
      endpoint: target.endpoint,
      credentials: sdkCredentialProvider,
      maxAttempts: this.retry.maxAttempts ?? 5,
      retryStrategy: new BackoffRetryStrategy(this.retry),
    };
  }

  private cached<T>(
    cache: Map<string, Promise<T>>,
    target: AwsTarget,
    make: () => Promise<T>,
  ): Promise<T> {
    const key = `${target.accountId}/${target.region}/${target.endpoint ?? ''}`;
    let client = cache.get(key);
    if (!client) {
      client = make();
      cache.set(key, client);
      client.catch(() => cache.delete(key));
    }
    return client;
  }
}
