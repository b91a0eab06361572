import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { parseArgs } from 'util';
import { StackyardNameError, resolvePrefix } from '@stackyard/plugin-stackyard-common';
import {
  BroadeningRefusedError,
  DeployRefusedError,
  PolicyFindingsError,
} from '../deploy/DeployRefusedError';
import { ManifestError } from '../manifest/ManifestError';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { PolicyReport } from '../policy/types';
import {
  REPORT_FORMATS,
  ReportFormat,
  ReportInput,
  isReportFormat,
  manifestLocator,
  renderReport,
  templateLocator,
  textReport,
} from '../report';
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
  stackyard check <cdk.out dir | template file ...> [--stage S]
                  [--format text|json|sarif|junit] [--output FILE]
  stackyard synth <app dir> (--prefix P | --branch B) --stage S [--out DIR]
                  [--format text|json|sarif|junit] [--output FILE]
  stackyard deploy <app dir> (--prefix P | --branch B) --stage S [--commit C]
                   [--target T] [--require-approval broadening|never] [--json]

Exit codes: 0 no findings (deploy: deployed, registered or not), 1 findings
(one line each: "<RULE-ID> <stack>/<path or logical id>: <message> (see
<docs>)"; nothing deployed), 2 bad input, 3 deploy failed or refused.
Warnings (warning rules, unused acknowledgements) are reported and never
fail. --json is --format json. With --output the report goes to FILE and
the text report to the terminal.

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

/** How a command reports the policy's verdict. */
interface ReportOptions {
  readonly format: ReportFormat;
  /** Write the report here; the text report then goes to the terminal. */
  readonly output?: string;
  readonly locate: ReportInput['locate'];
  readonly stackKey?: ReportInput['stackKey'];
  readonly extra?: ReportInput['extra'];
}

function report(out: CliOutput, result: PolicyReport, options: ReportOptions): number {
  const input: ReportInput = {
    report: result,
    locate: options.locate,
    stackKey: options.stackKey,
    extra: options.extra,
  };
  const text = textReport(input);
  if (options.output !== undefined) {
    writeReport(options.output, renderReport(options.format, input));
    text.stdout.forEach(l => out.stdout(l));
  } else if (options.format === 'text') {
    text.stdout.forEach(l => out.stdout(l));
  } else {
    out.stdout(renderReport(options.format, input));
  }
  if (options.format === 'text' || options.output !== undefined) {
    text.stderr.forEach(l => out.stderr(l));
  }
  return result.findings.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}

function writeReport(file: string, document: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, `${document}\n`);
  } catch (e) {
    throw new BadInputError(`cannot write the report to ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

const REPORT_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** `--format` (or the older `--json`), checked. */
function formatOf(values: { format?: string; json?: boolean }): ReportFormat {
  if (values.format === undefined) return values.json ? 'json' : 'text';
  if (!isReportFormat(values.format)) {
    throw new UsageError(
      `--format ${JSON.stringify(values.format)} is not one of ${REPORT_FORMATS.join(', ')}`,
    );
  }
  if (values.json && values.format !== 'json') {
    throw new UsageError(`--json and --format ${values.format} contradict each other`);
  }
  return values.format;
}

async function check(args: string[], out: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { stage: { type: 'string' }, ...REPORT_OPTIONS },
  });
  if (positionals.length === 0) {
    throw new UsageError('check needs at least one cdk.out directory or template file');
  }
  const format = formatOf(values);
  const stage = values.stage !== undefined ? resolveStageConfig(values.stage) : undefined;
  const templates = readTemplates(positionals);
  if (templates.length === 0) {
    throw new BadInputError(`no templates found in ${positionals.map(p => JSON.stringify(p)).join(', ')}`);
  }
  return report(out, checkTemplates(templates, { stage }), {
    format,
    output: values.output,
    locate: templateLocator(new Map(templates.map(t => [t.stack, t.source]))),
  });
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
      ...REPORT_OPTIONS,
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
  const format = formatOf(values);
  const appDir = positionals[0];
  const manifestFile = join(appDir, MANIFEST_FILE);
  const manifest = loadManifest(manifestFile);
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
  return report(out, result, {
    format,
    output: values.output,
    locate: manifestLocator({
      manifestFile,
      extensionFile: manifest.extension !== undefined ? join(appDir, manifest.extension) : undefined,
    }),
    // Fingerprints stay the same on every branch: the prefix is the branch's.
    stackKey: stack => (stack.startsWith(`${prefix}-`) ? stack.slice(prefix.length + 1) : stack),
    extra: {
      stackName: result.stackName,
      stacks: result.stacks,
      durationMs: result.durationMs,
    },
  });
}

async function deploy(args: string[], out: CliOutput, env: CliEnv): Promise<number> {
  const json = args.includes('--json');
  try {
    await runDeploy(args, out, env);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof PolicyFindingsError) {
      report(
        out,
        { findings: e.findings, warnings: e.warnings, acknowledged: [], passed: [] },
        {
          format: json ? 'json' : 'text',
          locate: () => ({ uri: MANIFEST_FILE, line: 1 }),
          extra: { deployed: false },
        },
      );
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
