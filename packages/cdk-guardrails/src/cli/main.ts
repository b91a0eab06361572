import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { StackyardNameError, resolvePrefix } from '@stackyard/plugin-stackyard-common';
import {
  BroadeningRefusedError,
  DeployRefusedError,
  PolicyFindingsError,
} from '../deploy/DeployRefusedError';
import { ManifestError } from '../manifest/ManifestError';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import { formatFinding } from '../policy/evaluateTemplate';
import type { PolicyReport } from '../policy/types';
import { StageConfigError, resolveStageConfig } from '../stages/stageConfig';
import { synthService } from '../synth/synthService';
import { checkTemplates } from './checkTemplates';
import { CliEnv, ciBranch, ciCommit } from './ciContext';
import { DeployUsageError, runDeploy } from './deploy';
import { BadInputError, readTemplates } from './readTemplates';

/** Exit code: no findings. */
export const EXIT_OK = 0;
/** Exit code: the policy found violations. */
export const EXIT_FINDINGS = 1;
/** Exit code: bad input (unreadable file, not a template, invalid arguments or manifest). */
export const EXIT_BAD_INPUT = 2;
/**
 * Exit code of `deploy`: the deploy failed or was refused (CloudFormation
 * rolled it back, or it broadens permissions without approval). A deploy
 * that succeeded exits 0 even when registering it with the portal failed.
 */
export const EXIT_DEPLOY_FAILED = 3;

/** Where the CLI writes. */
export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

const USAGE = `usage:
  stackyard check <cdk.out dir | template file ...> [--stage S] [--json]
  stackyard synth <app dir> (--prefix P | --branch B) --stage S [--out DIR] [--json]
  stackyard deploy <app dir> (--prefix P | --branch B) --stage S [--commit C]
                   [--target T] [--require-approval broadening|never] [--json]

Exit codes: 0 no findings (deploy: deployed, registered or not), 1 findings
(one line each: "<RULE-ID> <stack>/<path or logical id>: <message>"; nothing
deployed), 2 bad input, 3 deploy failed or refused.

deploy uses the credentials and region of the standard AWS environment
(AWS_ENDPOINT_URL* honoured); the branch and commit default to CI's
(GITHUB_REF_NAME/GITHUB_SHA, CI_COMMIT_REF_NAME/CI_COMMIT_SHA). With
STACKYARD_PORTAL_URL, STACKYARD_TOKEN and a target (--target or
STACKYARD_TARGET) it registers the deployment with the portal.`;

class UsageError extends Error {}

function isParseArgsError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function report(out: CliOutput, result: PolicyReport, json: boolean, extra: object = {}): number {
  if (json) {
    out.stdout(
      JSON.stringify(
        { ok: result.findings.length === 0, ...extra, findings: result.findings, acknowledged: result.acknowledged },
        null,
        2,
      ),
    );
  } else {
    for (const finding of result.findings) {
      out.stdout(formatFinding(finding));
    }
    out.stderr(
      `${result.findings.length} finding(s), ${result.acknowledged.length} acknowledged`,
    );
  }
  return result.findings.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}

async function check(args: string[], out: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { stage: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) {
    throw new UsageError('check needs at least one cdk.out directory or template file');
  }
  const stage = values.stage !== undefined ? resolveStageConfig(values.stage) : undefined;
  const templates = readTemplates(positionals);
  if (templates.length === 0) {
    throw new BadInputError(`no templates found in ${positionals.map(p => JSON.stringify(p)).join(', ')}`);
  }
  return report(out, checkTemplates(templates, { stage }), values.json ?? false);
}

async function synth(args: string[], out: CliOutput, env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      prefix: { type: 'string' },
      branch: { type: 'string' },
      stage: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) {
    throw new UsageError('synth needs exactly one app directory');
  }
  if (values.stage === undefined) {
    throw new UsageError('synth needs --stage');
  }
  if (values.prefix === undefined && values.branch === undefined) {
    throw new UsageError('synth needs --prefix or --branch');
  }
  const appDir = positionals[0];
  const manifest = loadManifest(join(appDir, MANIFEST_FILE));
  const prefix = resolvePrefix({
    project: manifest.service.project,
    branch: values.branch,
    override: values.prefix,
  });
  // The CLI, not the constructs, reads CI's environment.
  const result = await synthService({
    appDir,
    manifest,
    prefix,
    stage: values.stage,
    branch: values.branch ?? ciBranch(env),
    commit: ciCommit(env),
  });
  if (values.out !== undefined) {
    mkdirSync(values.out, { recursive: true });
    for (const [name, template] of Object.entries(result.templates)) {
      writeFileSync(join(values.out, `${name}.template.json`), `${JSON.stringify(template, null, 1)}\n`);
    }
  }
  return report(out, result, values.json ?? false, {
    stackName: result.stackName,
    stacks: result.stacks,
    durationMs: result.durationMs,
  });
}

async function deploy(args: string[], out: CliOutput, env: CliEnv): Promise<number> {
  const json = args.includes('--json');
  try {
    await runDeploy(args, out, env);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof PolicyFindingsError) {
      report(out, { findings: [...e.findings], acknowledged: [] }, json, { deployed: false });
      out.stderr('stackyard: nothing deployed: the safety policy found problems');
      return EXIT_FINDINGS;
    }
    if (e instanceof DeployUsageError) throw new UsageError(e.message);
    if (isBadInput(e) || e instanceof DeployRefusedError) throw e;
    // Construct validation (e.g. a branch that is no valid tag value) fails
    // the assembly: bad input, not a failed deploy.
    const cause = (e as { cause?: unknown }).cause;
    if ((e as Error).name === 'AssemblyError' && cause instanceof Error) {
      throw new BadInputError(`the service cannot be built: ${cause.message}`);
    }
    const message = e instanceof BroadeningRefusedError ? e.message : `deploy failed: ${(e as Error).message ?? String(e)}`;
    if (json) out.stdout(JSON.stringify({ ok: false, error: message }, null, 2));
    out.stderr(`stackyard: ${message}`);
    return EXIT_DEPLOY_FAILED;
  }
}

function isBadInput(e: unknown): boolean {
  return (
    e instanceof BadInputError ||
    e instanceof ManifestError ||
    e instanceof StackyardNameError ||
    e instanceof StageConfigError ||
    isParseArgsError(e)
  );
}

/**
 * Runs the `stackyard` CLI and returns its exit code. Never runs a shell;
 * arguments are only ever used as file paths and names. `env` is where it
 * reads CI's and the portal's variables (AWS's are read by the AWS SDK).
 */
export async function runCli(
  argv: readonly string[],
  out: CliOutput,
  env: CliEnv = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, out);
      case 'synth':
        return await synth(rest, out, env);
      case 'deploy':
        return await deploy(rest, out, env);
      case '--help':
      case '-h':
      case 'help':
        out.stdout(USAGE);
        return EXIT_OK;
      default:
        throw new UsageError(
          command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`stackyard: ${e.message}\n${USAGE}`);
      return EXIT_BAD_INPUT;
    }
    if (isBadInput(e) || e instanceof DeployRefusedError) {
      out.stderr(`stackyard: ${(e as Error).message}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}
