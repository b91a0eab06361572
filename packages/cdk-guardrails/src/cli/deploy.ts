import { join } from 'path';
import { parseArgs } from 'util';
import {
  RegisterDeploymentRequest,
  resolvePrefix,
  stackNameFor,
} from '@stackyard/plugin-stackyard-common';
import { DeployedService, deployService } from '../deploy/deployService';
import type { DeployLog } from '../deploy/GuardedIoHost';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import { CliEnv, ciBranch, ciCommit } from './ciContext';
import { RegistrationOutcome, registerDeployment } from './registration';
import { templateOf } from './templateOf';

/** Why `stackyard deploy` refused its arguments. */
export class DeployUsageError extends Error {}

/** What happened to the deployment's registration with the portal. */
export type DeployRegistration =
  | RegistrationOutcome
  | { status: 'skipped'; message: string };

/** What `stackyard deploy` reports (stdout with `--json`). */
export interface DeployReport {
  ok: true;
  stackName: string;
  stackId?: string;
  entityRef: string;
  branch?: string;
  commit?: string;
  outputs: Record<string, string>;
  resources: Record<string, number>;
  registration: DeployRegistration;
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

/**
 * `stackyard deploy <app dir> (--prefix P | --branch B) --stage S`:
 * synthesizes the service, runs the safety policy and deploys it through
 * the shared `deployService` with the credentials and region of the
 * standard AWS environment, then registers it with the portal when
 * `STACKYARD_PORTAL_URL` and `STACKYARD_TOKEN` are set. Registration
 * failing does not fail the command: the stack is deployed, and discovery
 * adopts it. Progress goes to stderr.
 *
 * Throws `DeployUsageError` for bad arguments, the guardrails' input errors,
 * `PolicyFindingsError` (nothing deployed), `BroadeningRefusedError` and the
 * toolkit's deploy errors.
 */
export async function runDeploy(
  args: string[],
  out: DeployOutput,
  env: CliEnv,
): Promise<DeployReport> {
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
      json: { type: 'boolean', default: false },
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
  const branch = values.branch ?? ciBranch(env);
  const commit = values.commit ?? ciCommit(env);
  if (values.prefix === undefined && branch === undefined) {
    throw new DeployUsageError(
      'deploy needs --prefix or a branch (--branch, or GITHUB_REF_NAME / CI_COMMIT_REF_NAME in CI)',
    );
  }
  const appDir = positionals[0];
  const manifest = loadManifest(join(appDir, MANIFEST_FILE));
  const prefix = resolvePrefix({
    project: manifest.service.project,
    branch,
    override: values.prefix,
  });
  const stage = values.stage;
  const stackName = stackNameFor(prefix, stage);
  const log: DeployLog = {
    info: line => out.stderr(line),
    warn: line => out.stderr(`warning: ${line}`),
    error: line => out.stderr(`error: ${line}`),
  };
  log.info(
    `Deploying ${stackName} (branch ${branch ?? '-'}, commit ${commit ?? '-'}) with the safety policy`,
  );
  const deployed = await deployService({
    appDir,
    manifest,
    prefix,
    stage,
    branch,
    commit,
    approveBroadening: approval === 'never',
    approvalHint: 're-run with --require-approval never',
    log,
    // The repository's own code, in its own CI, as `stackyard synth` runs it.
    extensions: 'in-process',
  });
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
    ok: true,
    stackName,
    ...(deployed.stackId ? { stackId: deployed.stackId } : {}),
    entityRef: entity,
    ...(branch ? { branch } : {}),
    ...(commit ? { commit } : {}),
    outputs: deployed.outputs,
    resources,
    registration,
  };
  if (values.json) {
    out.stdout(JSON.stringify(report, null, 2));
  } else {
    for (const [key, value] of Object.entries(deployed.outputs)) {
      out.stdout(`${key} = ${value}`);
    }
  }
  return report;
}
