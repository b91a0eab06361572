import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  BroadeningRefusedError as RefusedBroadening,
  DeployRefusedError,
  SandboxPool,
  deployService,
} from '@stackyard/cdk-guardrails';
import { asInputError } from '../lib/synth';
import { sandboxInputError } from '../lib/extensions';
import type { AwsTarget } from '@stackyard/plugin-stackyard-node';
import {
  BroadeningRefusedError,
  CdkDeployer,
  DeployedService,
  ServiceDeployRequest,
} from './CdkDeployer';

/** Settings of {@link ToolkitCdkDeployer} beyond its credentials. */
export interface ToolkitCdkDeployerOptions {
  /**
   * How often, in milliseconds, to poll CloudFormation for stack events and
   * status. @default toolkit-lib's (a few seconds)
   */
  readonly stackEventPollingInterval?: number;
  /**
   * Where a manifest's `extension` (repository code) is synthesized: the
   * assembly it produces is checked and deployed from its directory.
   * @default - none: a manifest with an extension is refused
   */
  readonly sandbox?: SandboxPool;
}

/**
 * Deploys through cdk-guardrails' `deployService` (toolkit-lib change sets,
 * rollback on failure, the safety policy, broadening approval), with
 * credentials of `aws.accounts` from `@backstage/integration-aws-node` and
 * progress in the task log.
 */
export class ToolkitCdkDeployer implements CdkDeployer {
  static fromConfig(
    config: Config,
    options: ToolkitCdkDeployerOptions = {},
  ): ToolkitCdkDeployer {
    const accounts = (config.getOptionalConfigArray('aws.accounts') ?? []).map(
      a => a.getString('accountId'),
    );
    return new ToolkitCdkDeployer(
      DefaultAwsCredentialsManager.fromConfig(config),
      accounts,
      config.has('aws.mainAccount'),
      options,
    );
  }

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly configuredAccounts: readonly string[],
    private readonly hasMainAccount: boolean,
    private readonly options: ToolkitCdkDeployerOptions = {},
  ) {}

  private async provider(target: AwsTarget) {
    if (
      !this.configuredAccounts.includes(target.accountId) &&
      !this.hasMainAccount
    ) {
      throw new InputError(
        `No AWS credentials for account "${target.accountId}" of target "${target.name}": add it to aws.accounts in app-config`,
      );
    }
    const { sdkCredentialProvider } =
      await this.credentials.getCredentialProvider({
        accountId: target.accountId,
      });
    return sdkCredentialProvider;
  }

  async checkCredentials(target: AwsTarget): Promise<void> {
    const provider = await this.provider(target);
    try {
      await provider();
    } catch (e) {
      throw new InputError(
        `Cannot load AWS credentials for account "${
          target.accountId
        }" of target "${target.name}": ${(e as Error).message}`,
      );
    }
  }

  async deploy(request: ServiceDeployRequest): Promise<DeployedService> {
    const { target, manifest } = request;
    const provider = await this.provider(target);
    try {
      const deployed = await deployService({
        appDir: request.dir,
        manifest,
        prefix: request.prefix,
        stage: request.stage,
        env: { account: target.accountId, region: target.region },
        credentials: provider,
        endpoint: target.endpoint,
        approveBroadening: request.approveBroadening,
        holdBroadening: request.holdBroadening,
        approvalHint: 're-run with approveBroadening: true',
        log: request.logger,
        extensions: this.options.sandbox
          ? { sandbox: this.options.sandbox }
          : 'refuse',
        stackEventPollingInterval: this.options.stackEventPollingInterval,
      });
      if (deployed.awaitingApproval) {
        return {
          outputs: {},
          awaitingApproval: {
            changeSetName: deployed.awaitingApproval.changeSetName,
            diff: deployed.awaitingApproval.diff,
          },
        };
      }
      return { stackId: deployed.stackId, outputs: deployed.outputs };
    } catch (e) {
      throw this.asTaskError(e, manifest.extension);
    }
  }

  /** The guardrails' refusals as Backstage errors, with the right status. */
  private asTaskError(error: unknown, extension: string | undefined): unknown {
    if (error instanceof RefusedBroadening) {
      return new BroadeningRefusedError(error.stackName);
    }
    if (error instanceof DeployRefusedError) {
      return new InputError(error.message);
    }
    const input = asInputError(error);
    return extension === undefined
      ? input
      : sandboxInputError(input, extension);
  }
}
