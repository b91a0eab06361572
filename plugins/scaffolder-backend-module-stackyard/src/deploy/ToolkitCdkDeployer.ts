import { createRequire } from 'module';
import {
  BaseCredentials,
  StackSelectionStrategy,
  Toolkit,
} from '@aws-cdk/toolkit-lib';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  SandboxPool,
  buildService,
  synthInSandbox,
} from '@stackyard/cdk-guardrails';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkUntrustedAssembly } from '../lib/untrustedAssembly';
import { asInputError } from '../lib/synth';
import { sandboxInputError } from '../lib/extensions';
import type { AwsTarget } from '@stackyard/plugin-stackyard-node';
import {
  BroadeningRefusedError,
  CdkDeployer,
  DeployedService,
  ServiceDeployRequest,
} from './CdkDeployer';
import { endpointAgent } from './endpointAgent';
import { TaskIoHost } from './TaskIoHost';

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

/** The parts of aws-cdk-lib the deployer builds an app with. */
interface CdkLib {
  App: new (props: {
    outdir?: string;
    stackTraces?: boolean;
    context?: Record<string, unknown>;
  }) => { synth(): unknown };
}

/**
 * aws-cdk-lib as cdk-guardrails resolves it: the app must come from the same
 * copy of the library as the guardrails' constructs.
 */
function cdkLib(): CdkLib {
  const fromGuardrails = createRequire(
    require.resolve('@stackyard/cdk-guardrails'),
  );
  return fromGuardrails('aws-cdk-lib') as CdkLib;
}

/**
 * Deploys with `@aws-cdk/toolkit-lib` (change sets, rollback on failure),
 * with credentials of `aws.accounts` from `@backstage/integration-aws-node`.
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
    const { target } = request;
    const ioHost = new TaskIoHost(request.logger, {
      approveBroadening: request.approveBroadening,
    });
    const provider = await this.provider(target);
    // toolkit-lib has no endpoint setting; every SDK client it makes uses
    // this agent, so it is where a target's endpoint is applied.
    const agent = target.endpoint ? endpointAgent(target.endpoint) : undefined;
    try {
      return await this.deployWith(request, ioHost, provider, agent);
    } finally {
      agent?.destroy();
    }
  }

  private async deployWith(
    request: ServiceDeployRequest,
    ioHost: TaskIoHost,
    provider: Awaited<ReturnType<ToolkitCdkDeployer['provider']>>,
    agent: ReturnType<typeof endpointAgent> | undefined,
  ): Promise<DeployedService> {
    const { target, manifest, dir, prefix, stage, stackName } = request;
    const toolkit = new Toolkit({
      ioHost,
      color: false,
      emojis: false,
      sdkConfig: {
        baseCredentials: BaseCredentials.custom({
          provider,
          region: target.region,
        }),
        ...(agent ? { httpOptions: { agent } } : {}),
      },
    });
    // A directory of this process's own, removed after the deploy.
    let workDir: string | undefined;
    let source;
    if (manifest.extension !== undefined) {
      // Repository code never runs here: the sandbox synthesizes, and its
      // assembly is checked before toolkit-lib reads it.
      if (!this.options.sandbox) {
        throw new InputError(
          `manifest extension "${manifest.extension}" was not run: repository code runs only in a sandbox, and this deployer has none`,
        );
      }
      workDir = mkdtempSync(join(tmpdir(), 'stackyard-deploy-assembly-'));
      const assemblyDir = join(workDir, 'cdk.out');
      try {
        const checked = await synthInSandbox(this.options.sandbox, {
          appDir: dir,
          manifest,
          prefix,
          stage,
          env: { account: target.accountId, region: target.region },
          assemblyDir,
        });
        // Judged again: the assembly deployed is this run's, not the one
        // the task's synthesis step checked.
        if (!checked.ok) {
          throw new InputError(
            `the safety policy found ${checked.findings.length} problem(s) in the assembly to deploy`,
          );
        }
        checkUntrustedAssembly(assemblyDir, target);
        source = await toolkit.fromAssemblyDirectory(assemblyDir);
      } catch (e) {
        rmSync(workDir, { recursive: true, force: true });
        throw sandboxInputError(asInputError(e), manifest.extension);
      }
    } else {
      source = await this.fromManifest(toolkit, request);
    }
    try {
      const result = await toolkit.deploy(source, {
        stacks: {
          strategy: StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE,
          patterns: [stackName],
        },
        deploymentMethod: { method: 'change-set' },
        rollback: true,
        stackEventPollingInterval: this.options.stackEventPollingInterval,
      });
      const deployed = result.stacks.find(s => s.stackName === stackName);
      return {
        stackId: deployed?.stackArn,
        outputs: { ...(deployed?.outputs ?? {}) },
      };
    } catch (e) {
      if (ioHost.refusedBroadening) {
        throw new BroadeningRefusedError(stackName);
      }
      throw e;
    } finally {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    }
  }

  /** A manifest of pure data is built in-process. */
  private fromManifest(toolkit: Toolkit, request: ServiceDeployRequest) {
    const { target, manifest, dir, prefix, stage } = request;
    const { App } = cdkLib();
    return toolkit.fromAssemblyBuilder(
      async props => {
        const app = new App({
          outdir: props.outdir,
          stackTraces: false,
          context: props.context,
        });
        buildService(
          app as unknown as Parameters<typeof buildService>[0],
          manifest,
          {
            prefix,
            stage,
            appDir: dir,
            env: { account: target.accountId, region: target.region },
          },
        );
        return app.synth() as never;
      },
      { clobberEnv: false, lookups: false },
    );
  }
}
