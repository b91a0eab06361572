import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { resolvePrefix } from '@stackyard/plugin-stackyard-common';
import { DeployRefusedError } from '../deploy/DeployRefusedError';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import { templateLocator } from '../report';
import { resolveStageConfig } from '../stages/stageConfig';
import { synthService } from '../synth/synthService';
import { checkTemplates } from './checkTemplates';
import { CliEnv, ciBranch, ciCommit } from './ciContext';
import {
  CliOutput,
  EXIT_BAD_INPUT,
  EXIT_FINDINGS,
  EXIT_OK,
  UsageError,
  isBadInput,
} from './cliContract';
import { runDeploy } from './deploy';
import { REPORT_OPTIONS, ReportOptions, formatOf, manifestReporting, reportPolicy } from './policyReport';
import { BadInputError, readTemplates } from './readTemplates';

export {
  EXIT_BAD_INPUT,
  EXIT_DEPLOY_FAILED,
  EXIT_FINDINGS,
  EXIT_OK,
} from './cliContract';
export type { CliOutput } from './cliContract';

const USAGE = `usage:
  stackyard check <cdk.out dir | template file ...> [--stage S]
                  [--format text|json|sarif|junit] [--output FILE]
  stackyard synth <app dir> (--prefix P | --branch B) --stage S [--out DIR]
                  [--format text|json|sarif|junit] [--output FILE]
  stackyard deploy <app dir> (--prefix P | --branch B) --stage S [--commit C]
                   [--target T] [--require-approval broadening|never]
                   [--format text|json|sarif|junit] [--output FILE]
                   [--no-estimate]

Exit codes: 0 no findings (deploy: deployed, registered or not), 1 findings
(one line each: "<RULE-ID> <stack>/<path or logical id>: <message> (see
<docs>)"; nothing deployed), 2 bad input, 3 deploy failed or refused.
Warnings (warning rules, unused acknowledgements) are reported and never
fail. --json is --format json. With --output the report goes to FILE and
the text report to the terminal.

deploy reports the policy's verdict in the format asked for before it
deploys, prints the stack's estimated monthly fixed cost (AWS Price List;
a cost it cannot estimate is a warning; --no-estimate skips it) and ends
with the stack's outputs (text) or one JSON document of the verdict and
the deploy (json). It uses the credentials and region of the standard AWS
environment (AWS_ENDPOINT_URL* honoured); the branch and commit default to
CI's (GITHUB_REF_NAME/GITHUB_SHA, CI_COMMIT_REF_NAME/CI_COMMIT_SHA). With
STACKYARD_PORTAL_URL, STACKYARD_TOKEN and a target (--target or
STACKYARD_TARGET) it registers the deployment with the portal.`;

function report(out: CliOutput, result: Parameters<typeof reportPolicy>[1], options: ReportOptions): number {
  return reportPolicy(out, result, options) ? EXIT_OK : EXIT_FINDINGS;
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
  return report(
    out,
    result,
    manifestReporting({
      format,
      output: values.output,
      appDir,
      manifestFile,
      manifest,
      prefix,
      extra: {
        stackName: result.stackName,
        stacks: result.stacks,
        durationMs: result.durationMs,
      },
    }),
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
        return await runDeploy(rest, out, env);
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
