import { join } from 'path';
import { parseArgs } from 'util';
import {
  CostEstimate,
  RegisterDeploymentRequest,
  resolvePrefix,
  stackNameFor,
} from '@stackyard/plugin-stackyard-common';
import {
  BroadeningRefusedError,
  DeployRefusedError,
  PolicyFindingsError,
} from '../deploy/DeployRefusedError';
import { DeployedService, deployService } from '../deploy/deployService';
import type { DeployLog } from '../deploy/GuardedIoHost';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { PolicyReport } from '../policy/types';
import { CliEnv, ciBranch, ciCommit } from './ciContext';
import {
  EXIT_DEPLOY_FAILED,
  EXIT_FINDINGS,
  EXIT_OK,
  UsageError,
  isBadInput,
} from './cliContract';
import { estimateDeployCost } from './costEstimate';
import {
  REPORT_OPTIONS,
  emitPolicyDocument,
  formatOf,
  manifestReporting,
  printPolicyText,
  reportPolicy,
  showsText,
  writeReport,
} from './policyReport';
import { BadInputError } from './readTemplates';
import { RegistrationOutcome, registerDeployment } from './registration';
import { templateOf } from './templateOf';

/** Why `stackyard deploy` refused its arguments. */
export class DeployUsageError extends UsageError {}

/** What happened to the deployment's registration with the portal. */
export type DeployRegistration =
  | RegistrationOutcome
  | { status: 'skipped'; message: string };

/**
 * What `stackyard deploy --format json` reports besides the policy's
 * verdict (`ok`, `findings`, `warnings`, `acknowledged`, as `check` does).
 */
export interface DeployReport {
  stackName: string;
  stackId?: string;
  entityRef: string;
  branch?: string;
  commit?: string;
  outputs: Record<string, string>;
  resources: Record<string, number>;
  registration: DeployRegistration;
  /** The stack's monthly fixed cost, when it was estimated. */
  estimate?: CostEstimate;
  /** Why it was not (the deploy went on). */
  estimateWarning?: string;
}

/** Where `stackyard deploy` writes. */
export interface DeployOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

const DISCOVERY_NOTE =
  "The portal's discovery adopts the stack from its stackyard:* tags at its next reconcile " +
  '(stackyard.reconciler.schedule, every minute by default) and shows it on the Infra tab then.';

function resourceTotals(stacks: DeployedService['stacks']): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const stack of stacks) {
    for (const [type, count] of Object.entries(stack.resourcesByType)) {
      totals[type] = (totals[type] ?? 0) + count;
    }
  }
  return totals;
}

/** Registers the deployment when the portal and a token are configured. */
async function register(
  env: CliEnv,
  target: string | undefined,
  request: Omit<RegisterDeploymentRequest, 'target'>,
): Promise<DeployRegistration> {
  const portalUrl = env.STACKYARD_PORTAL_URL?.trim();
  const token = env.STACKYARD_TOKEN?.trim();
  if (!portalUrl && !token) {
    return {
      status: 'skipped',
      message: 'STACKYARD_PORTAL_URL and STACKYARD_TOKEN are not set, so the deployment was not registered.',
    };
  }
  if (!portalUrl || !token) {
    return {
      status: 'skipped',
      message: `${portalUrl ? 'STACKYARD_TOKEN' : 'STACKYARD_PORTAL_URL'} is not set, so the deployment was not registered.`,
    };
  }
  if (!target) {
    return {
      status: 'skipped',
      message:
        "no portal target given (--target or STACKYARD_TARGET: the name of the portal's stackyard.targets entry for this account and region), so the deployment was not registered.",
    };
  }
  return registerDeployment({ portalUrl, token, request: { ...request, target } });
}

/** A verdict before the policy ran: nothing found yet. */
const NO_VERDICT: PolicyReport = { findings: [], warnings: [], acknowledged: [], passed: [] };

/**
 * `stackyard deploy <app dir> (--prefix P | --branch B) --stage S`:
 * synthesizes the service, runs the safety policy and reports its verdict
 * as `check` and `synth` do (`--format`, `--output`), prints the stack's
 * estimated monthly fixed cost (unless `--no-estimate`; one that cannot be
 * made is a warning), deploys it through the shared `deployService` with
 * the credentials and region of the standard AWS environment, then
 * registers it with the portal when `STACKYARD_PORTAL_URL` and
 * `STACKYARD_TOKEN` are set. Registration failing does not fail the
 * command: the stack is deployed, and discovery adopts it. Progress goes
 * to stderr; the stack's outputs to stdout (to stderr when stdout holds a
 * SARIF or JUnit document); with `--format json` one document holds the
 * verdict and the deploy.
 *
 * Returns the exit code: 0 deployed, 1 findings (nothing deployed), 3 the
 * deploy failed or was refused. Throws `UsageError`s and the guardrails'
 * input errors (exit 2).
 */
export async function runDeploy(args: string[], out: DeployOutput, env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      prefix: { type: 'string' },
      branch: { type: 'string' },
      commit: { type: 'string' },
      stage: { type: 'string' },
      target: { type: 'string' },
      'require-approval': { type: 'string', default: 'broadening' },
      'no-estimate': { type: 'boolean', default: false },
      ...REPORT_OPTIONS,
    },
  });
  if (positionals.length !== 1) {
    throw new DeployUsageError('deploy needs exactly one app directory');
  }
  if (values.stage === undefined) {
    throw new DeployUsageError('deploy needs --stage');
  }
  const approval = values['require-approval'];
  if (approval !== 'broadening' && approval !== 'never') {
    throw new DeployUsageError(
      `--require-approval must be "broadening" (refuse changes that broaden IAM or security-group permissions) or "never" (deploy them), not ${JSON.stringify(approval)}`,
    );
  }
  const format = formatOf(values);
  const branch = values.branch ?? ciBranch(env);
  const commit = values.commit ?? ciCommit(env);
  if (values.prefix === undefined && branch === undefined) {
    throw new DeployUsageError(
      'deploy needs --prefix or a branch (--branch, or GITHUB_REF_NAME / CI_COMMIT_REF_NAME in CI)',
    );
  }
  const appDir = positionals[0];
  const manifestFile = join(appDir, MANIFEST_FILE);
  const manifest = loadManifest(manifestFile);
  const prefix = resolvePrefix({
    project: manifest.service.project,
    branch,
    override: values.prefix,
  });
  const stage = values.stage;
  const stackName = stackNameFor(prefix, stage);
  // Located and fingerprinted as `stackyard synth` reports the same service.
  const reporting = manifestReporting({
    format,
    output: values.output,
    appDir,
    manifestFile,
    manifest,
    prefix,
    extra: { stackName },
  });
  const log: DeployLog = {
    info: line => out.stderr(line),
    warn: line => out.stderr(`warning: ${line}`),
    error: line => out.stderr(`error: ${line}`),
  };
  let policy = NO_VERDICT;
  let cost: { estimate?: CostEstimate; warning?: string } = {};
  let deployed: DeployedService;
  try {
    log.info(
      `Deploying ${stackName} (branch ${branch ?? '-'}, commit ${commit ?? '-'}) with the safety policy`,
    );
    deployed = await deployService({
      appDir,
      manifest,
      prefix,
      stage,
      branch,
      commit,
      approveBroadening: approval === 'never',
      approvalHint: 're-run with --require-approval never',
      log,
      // The CLI reports the verdict itself, in the format asked for.
      logPolicy: false,
      beforeDeploy: async checked => {
        policy = checked.report;
        if (showsText(reporting)) printPolicyText(out, policy, reporting);
        // The JSON document waits for the deploy's result; the others are the verdict's alone.
        if (format !== 'json') emitPolicyDocument(out, policy, reporting);
        if (!values['no-estimate']) {
          cost = await estimateDeployCost(checked.templates[stackName] ?? {});
          if (cost.estimate) log.info(cost.estimate.summary);
          else log.warn(`${cost.warning}; deploying anyway`);
        }
        log.info(`Safety policy passed; deploying ${stackName}`);
      },
      // The repository's own code, in its own CI, as `stackyard synth` runs it.
      extensions: 'in-process',
    });
  } catch (e) {
    if (e instanceof PolicyFindingsError) {
      reportPolicy(
        out,
        { findings: e.findings, warnings: e.warnings, acknowledged: e.acknowledged, passed: e.passed },
        { ...reporting, extra: { ...reporting.extra, deployed: false } },
      );
      out.stderr('stackyard: nothing deployed: the safety policy found problems');
      return EXIT_FINDINGS;
    }
    if (e instanceof UsageError || isBadInput(e) || e instanceof DeployRefusedError) throw e;
    // Construct validation (e.g. a branch that is no valid tag value) fails
    // the assembly: bad input, not a failed deploy.
    const cause = (e as { cause?: unknown }).cause;
    if ((e as Error).name === 'AssemblyError' && cause instanceof Error) {
      throw new BadInputError(`the service cannot be built: ${cause.message}`);
    }
    const message =
      e instanceof BroadeningRefusedError ? e.message : `deploy failed: ${(e as Error).message ?? String(e)}`;
    if (format === 'json') {
      const document = JSON.stringify({ ok: false, stackName, error: message }, null, 2);
      if (values.output !== undefined) writeReport(values.output, document);
      else out.stdout(document);
    }
    out.stderr(`stackyard: ${message}`);
    return EXIT_DEPLOY_FAILED;
  }
  log.info(`Deployed ${stackName}${deployed.stackId ? ` (${deployed.stackId})` : ''}`);

  const template = templateOf(appDir, manifest);
  const resources = resourceTotals(deployed.stacks);
  const registration = await register(env, values.target ?? env.STACKYARD_TARGET?.trim(), {
    entityRef: manifest.service.owner,
    prefix,
    stage,
    stackName,
    stackId: deployed.stackId,
    status: 'ready',
    outputs: deployed.outputs,
    resources,
    branch,
    commit,
    costCenter: manifest.service.costCenter,
    templateName: template?.name,
    templateVersion: template?.version,
  });
  const entity = manifest.service.owner;
  switch (registration.status) {
    case 'registered':
      log.info(
        `Registered ${stackName} with the portal (environment ${registration.environmentId}): it shows on ${entity}'s Infra tab now.`,
      );
      break;
    case 'failed':
      log.warn(
        `The deploy of ${stackName} succeeded, but registering it with the portal failed: ${registration.message}. ${DISCOVERY_NOTE}`,
      );
      break;
    default:
      log.info(`${registration.message} ${DISCOVERY_NOTE}`);
  }
  const report: DeployReport = {
    stackName,
    ...(deployed.stackId ? { stackId: deployed.stackId } : {}),
    entityRef: entity,
    ...(branch ? { branch } : {}),
    ...(commit ? { commit } : {}),
    outputs: deployed.outputs,
    resources,
    registration,
    ...(cost.estimate ? { estimate: cost.estimate } : {}),
    ...(cost.warning ? { estimateWarning: cost.warning } : {}),
  };
  if (format === 'json') {
    emitPolicyDocument(out, policy, { ...reporting, extra: { ...reporting.extra, ...report } });
  }
  // stdout holds the outputs unless a report document does.
  if (showsText(reporting)) {
    for (const [key, value] of Object.entries(deployed.outputs)) out.stdout(`${key} = ${value}`);
  } else if (format !== 'json') {
    for (const [key, value] of Object.entries(deployed.outputs)) out.stderr(`${key} = ${value}`);
  }
  return EXIT_OK;
}
