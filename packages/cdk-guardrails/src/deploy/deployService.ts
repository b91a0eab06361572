import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  BaseCredentials,
  StackSelectionStrategy,
  Toolkit,
} from '@aws-cdk/toolkit-lib';
import { ApprovalDiff, stackNameFor } from '@stackyard/plugin-stackyard-common';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { ServiceManifest } from '../manifest/schema';
import { formatFinding } from '../policy/evaluateTemplate';
import type {
  AcknowledgedFinding,
  Finding,
  PassedCheck,
  PolicyReport,
  RulePack,
} from '../policy/types';
import type { SandboxPool } from '../sandbox/SandboxPool';
import { synthInSandbox } from '../sandbox/synthInSandbox';
import type { StackSummary } from '../synth/summarize';
import { synthService } from '../synth/synthService';
import {
  BroadeningRefusedError,
  DeployRefusedError,
  PolicyFindingsError,
} from './DeployRefusedError';
import { endpointAgent } from './endpointAgent';
import { DeployLog, GuardedIoHost } from './GuardedIoHost';
import { checkUntrustedAssembly } from './untrustedAssembly';

/** An AWS SDK credential provider (`AwsCredentialIdentityProvider`). */
export type CredentialProvider = () => Promise<{
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}>;

/** Where a manifest's `extension` (repository code) runs. */
export type ExtensionPolicy =
  /** Refuse a manifest with an extension (nowhere safe to run it). */
  | 'refuse'
  /**
   * In this process, as `stackyard synth` does: for the service's own CI or
   * a laptop, where the repository's code is the code being deployed anyway.
   */
  | 'in-process'
  /**
   * In a sandbox process; its assembly is judged again and checked to be
   * only stacks and file assets of the target's default bootstrap before
   * toolkit-lib reads it (see `checkUntrustedAssembly`).
   */
  | { readonly sandbox: SandboxPool };

/** Options of {@link deployService}. */
export interface DeployServiceOptions {
  /** The service's directory: holds `stackyard.yaml` and the function code. */
  readonly appDir: string;
  /**
   * The manifest, when already loaded.
   * @default - `stackyard.yaml` in `appDir`, loaded and validated
   */
  readonly manifest?: ServiceManifest;
  /** The environment's prefix, e.g. from `resolvePrefix`. */
  readonly prefix: string;
  /** The stage, e.g. `dev`. */
  readonly stage: string;
  /** Written to the `stackyard:branch` tag. @default - no branch tag */
  readonly branch?: string;
  /** Written to the `stackyard:commit` tag. @default - no commit tag */
  readonly commit?: string;
  /**
   * The account and region to deploy to.
   * @default - the account of the credentials and the configured region
   *   (`AWS_REGION`, the profile's), as `cdk deploy` does
   */
  readonly env?: { readonly account: string; readonly region: string };
  /**
   * The base credentials.
   * @default - the standard AWS environment, as the AWS CLI reads it
   *   (environment variables, `AWS_PROFILE`, SSO, web identity, instance roles)
   */
  readonly credentials?: CredentialProvider;
  /**
   * Open every AWS connection to this endpoint instead, keeping each request
   * as signed (see `endpointAgent`).
   * @default - the SDK's endpoints (which honour `AWS_ENDPOINT_URL*`)
   */
  readonly endpoint?: string;
  /** Deploy even if the change broadens IAM or security-group permissions. */
  readonly approveBroadening: boolean;
  /**
   * Unless `approveBroadening`, stop a change that broadens permissions
   * before execution and keep its change set for a reviewer (the result's
   * `awaitingApproval`), instead of refusing it. Default: false.
   */
  readonly holdBroadening?: boolean;
  /**
   * How the person deploying approves broadening, said when it is refused,
   * e.g. "re-run with --require-approval never".
   * @default 're-run with broadening approved'
   */
  readonly approvalHint?: string;
  /** Where progress, stack events and toolkit messages go. */
  readonly log: DeployLog;
  /**
   * Log the policy's warnings and verdict. False when the caller reports
   * the verdict itself (`beforeDeploy`), as `stackyard deploy` does in the
   * format it was asked for. Default: true.
   */
  readonly logPolicy?: boolean;
  /**
   * Called once the assembly passed the policy, before anything reaches
   * CloudFormation (e.g. to report the verdict or estimate the cost). What
   * it throws fails the deploy.
   */
  readonly beforeDeploy?: (checked: CheckedService) => Promise<void>;
  /** Where a manifest's extension runs. @default 'refuse' */
  readonly extensions?: ExtensionPolicy;
  /** The rule packs of the safety policy. @default [stackyardCorePack] */
  readonly packs?: readonly RulePack[];
  /**
   * How often, in milliseconds, to poll CloudFormation for stack events.
   * @default toolkit-lib's (a few seconds)
   */
  readonly stackEventPollingInterval?: number;
}

/** A deployed service. */
export interface DeployedService {
  /** `<prefix>-<stage>`. */
  readonly stackName: string;
  /** The stack's ARN. */
  readonly stackId?: string;
  readonly outputs: Record<string, string>;
  /** Resource counts of the deployed stacks. */
  readonly stacks: readonly StackSummary[];
  /** Templates of the deployed stacks, by stack name. */
  readonly templates: Readonly<Record<string, unknown>>;
  /** Findings deployed because they are acknowledged in the code. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /**
   * Set when the change broadens permissions and was held for approval
   * (`holdBroadening`): nothing was executed, the change set is kept, and
   * `stackId`/`outputs` are unset.
   */
  readonly awaitingApproval?: AwaitingApproval;
}

/** A service that passed the policy and is about to be deployed. */
export interface CheckedService {
  /** `<prefix>-<stage>`. */
  readonly stackName: string;
  /** Templates of the stacks to deploy, by stack name. */
  readonly templates: Readonly<Record<string, unknown>>;
  /** The policy's verdict: no findings; warnings, acknowledged, passed. */
  readonly report: PolicyReport;
}

/** A change set kept, unexecuted, for a reviewer. */
export interface AwaitingApproval {
  /** The change set's name on the stack (unique per deploy). */
  readonly changeSetName: string;
  /** What it changes that needs review. */
  readonly diff: ApprovalDiff;
}

/** The synthesized, checked assembly that is deployed. */
interface CheckedAssembly {
  readonly stacks: readonly StackSummary[];
  readonly templates: Readonly<Record<string, unknown>>;
  readonly warnings: readonly Finding[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  readonly passed: readonly PassedCheck[];
}

async function synthesize(
  options: DeployServiceOptions,
  manifest: ServiceManifest,
  assemblyDir: string,
): Promise<CheckedAssembly> {
  const { appDir, prefix, stage, env } = options;
  const extensions = options.extensions ?? 'refuse';
  if (manifest.extension !== undefined && typeof extensions === 'object') {
    const checked = await synthInSandbox(extensions.sandbox, {
      appDir,
      manifest,
      prefix,
      stage,
      env,
      packs: options.packs,
      assemblyDir,
    });
    if (!checked.ok) {
      throw new PolicyFindingsError(
        checked.findings,
        checked.warnings,
        checked.acknowledged,
        checked.passed,
      );
    }
    if (!env) {
      throw new DeployRefusedError(
        'an assembly synthesized in a sandbox is deployed only to an explicit account and region',
      );
    }
    checkUntrustedAssembly(assemblyDir, {
      accountId: env.account,
      region: env.region,
    });
    return checked;
  }
  if (manifest.extension !== undefined && extensions !== 'in-process') {
    throw new DeployRefusedError(
      `manifest extension ${JSON.stringify(
        manifest.extension,
      )} was not run: repository code runs only in a sandbox, and this deployer has none`,
    );
  }
  const result = await synthService({
    appDir,
    manifest,
    prefix,
    stage,
    branch: options.branch,
    commit: options.commit,
    env,
    packs: options.packs,
    assemblyDir,
  });
  if (!result.ok) {
    throw new PolicyFindingsError(
      result.findings,
      result.warnings,
      result.acknowledged,
      result.passed,
    );
  }
  return result;
}

/**
 * Synthesizes a service, runs the safety policy and deploys the assembly
 * it checked with `@aws-cdk/toolkit-lib` (a change set; CloudFormation
 * rolls a failed deploy back). A change that broadens IAM or security-group
 * permissions is deployed only when approved; with `holdBroadening` it
 * stops before execution instead, its change set kept for a reviewer. The one deploy path of the
 * scaffolder's `stackyard:cdk:deploy` and `stackyard deploy`.
 *
 * Throws a `PolicyFindingsError` (nothing deployed) when the policy finds
 * problems, a `BroadeningRefusedError` when broadening was not approved, a
 * `DeployRefusedError` for an assembly that is not deployable as it is,
 * and the guardrails' input errors (`ManifestError`, `StackyardNameError`,
 * `StageConfigError`) for bad input.
 */
export async function deployService(
  options: DeployServiceOptions,
): Promise<DeployedService> {
  const manifest =
    options.manifest ?? loadManifest(join(options.appDir, MANIFEST_FILE));
  const stackName = stackNameFor(options.prefix, options.stage);
  const ioHost = new GuardedIoHost(options.log, {
    approveBroadening: options.approveBroadening,
    approvalHint: options.approvalHint,
    holdBroadening: options.holdBroadening,
  });
  // A held change set is found again by its name: one per deploy.
  const changeSetName = options.holdBroadening
    ? `stackyard-${randomUUID()}`
    : undefined;
  // toolkit-lib has no endpoint setting; every SDK client it makes uses
  // this agent, so it is where an explicit endpoint is applied.
  const agent = options.endpoint ? endpointAgent(options.endpoint) : undefined;
  const region = options.env?.region;
  const toolkit = new Toolkit({
    ioHost,
    color: false,
    emojis: false,
    sdkConfig: {
      baseCredentials: options.credentials
        ? BaseCredentials.custom({ provider: options.credentials, region })
        : BaseCredentials.awsCliCompatible({ defaultRegion: region }),
      ...(agent ? { httpOptions: { agent } } : {}),
    },
  });
  // This deploy's own directory: the assembly checked is the one deployed.
  const workDir = mkdtempSync(join(tmpdir(), 'stackyard-deploy-'));
  try {
    const assemblyDir = join(workDir, 'cdk.out');
    const checked = await synthesize(options, manifest, assemblyDir);
    if (options.logPolicy ?? true) {
      for (const warning of checked.warnings) {
        options.log.warn(`Safety policy warning: ${formatFinding(warning)}`);
      }
      options.log.info(
        `Safety policy: 0 findings, ${checked.warnings.length} warning(s), ${checked.acknowledged.length} acknowledged; deploying ${stackName}`,
      );
    }
    await options.beforeDeploy?.({
      stackName,
      templates: checked.templates,
      report: {
        findings: [],
        warnings: checked.warnings,
        acknowledged: checked.acknowledged,
        passed: checked.passed,
      },
    });
    const source = await toolkit.fromAssemblyDirectory(assemblyDir);
    let result;
    try {
      result = await toolkit.deploy(source, {
        stacks: {
          strategy: StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE,
          patterns: [stackName],
        },
        deploymentMethod: {
          method: 'change-set',
          ...(changeSetName ? { changeSetName } : {}),
        },
        rollback: true,
        stackEventPollingInterval: options.stackEventPollingInterval,
      });
    } catch (e) {
      if (ioHost.held && changeSetName) {
        options.log.warn(
          `${stackName} waits for approval: change set ${changeSetName} is kept, not executed`,
        );
        return {
          stackName,
          outputs: {},
          stacks: checked.stacks,
          templates: checked.templates,
          acknowledged: checked.acknowledged,
          awaitingApproval: { changeSetName, diff: ioHost.held },
        };
      }
      if (ioHost.refusedBroadening) {
        throw new BroadeningRefusedError(stackName, ioHost.approvalHint);
      }
      throw e;
    }
    const deployed = result.stacks.find(s => s.stackName === stackName);
    return {
      stackName,
      stackId: deployed?.stackArn,
      outputs: { ...(deployed?.outputs ?? {}) },
      stacks: checked.stacks,
      templates: checked.templates,
      acknowledged: checked.acknowledged,
    };
  } finally {
    agent?.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
}
