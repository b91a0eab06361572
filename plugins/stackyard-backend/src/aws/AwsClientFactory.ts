import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { PricingClient } from '@aws-sdk/client-pricing';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { BackoffOptions, BackoffRetryStrategy } from './BackoffRetryStrategy';

/** An AWS target: an account and region. */
export type AwsTarget = Extract<Target, { type: 'aws' }>;

/** Creates (and reuses) SDK clients per account, region and endpoint. */
export interface AwsClientFactory {
  cloudFormation(target: AwsTarget): Promise<CloudFormationClient>;
  cloudWatch(target: AwsTarget): Promise<CloudWatchClient>;
  /** The Price List query API of the target's account (served from us-east-1). */
  pricing(target: AwsTarget): Promise<PricingClient>;
  /** Cost Explorer of the target's account (served from us-east-1). */
  costExplorer(target: AwsTarget): Promise<CostExplorerClient>;
}

/** Where the Price List query API and Cost Explorer are served. */
const GLOBAL_COST_REGION = 'us-east-1';

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
  private readonly pricingClients = new Map<string, Promise<PricingClient>>();
  private readonly costExplorerClients = new Map<
    string,
    Promise<CostExplorerClient>
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

  pricing(target: AwsTarget): Promise<PricingClient> {
    const global = { ...target, region: GLOBAL_COST_REGION };
    return this.cached(
      this.pricingClients,
      global,
      async () => new PricingClient(await this.clientConfig(global)),
    );
  }

  costExplorer(target: AwsTarget): Promise<CostExplorerClient> {
    const global = { ...target, region: GLOBAL_COST_REGION };
    return this.cached(
      this.costExplorerClients,
      global,
      async () => new CostExplorerClient(await this.clientConfig(global)),
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
