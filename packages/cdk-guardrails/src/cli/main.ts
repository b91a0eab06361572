import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { StackyardNameError, resolvePrefix } from '@stackyard/plugin-stackyard-common';
import { ManifestError } from '../manifest/ManifestError';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import { formatFinding } from '../policy/evaluateTemplate';
import type { PolicyReport } from '../policy/types';
import { StageConfigError, resolveStageConfig } from '../stages/stageConfig';
import { synthService } from '../synth/synthService';
import { checkTemplates } from './checkTemplates';
import { BadInputError, readTemplates } from './readTemplates';

/** Exit code: no findings. */
export const EXIT_OK = 0;
/** Exit code: the policy found violations. */
export const EXIT_FINDINGS = 1;
/** Exit code: bad input (unreadable file, not a template, invalid arguments or manifest). */
export const EXIT_BAD_INPUT = 2;

/** Where the CLI writes. */
export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

const USAGE = `usage:
  stackyard check <cdk.out dir | template file ...> [--stage S] [--json]
  stackyard synth <app dir> (--prefix P | --branch B) --stage S [--out DIR] [--json]

Exit codes: 0 no findings, 1 findings (one line each:
"<RULE-ID> <stack>/<path or logical id>: <message>"), 2 bad input.`;

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

async function synth(args: string[], out: CliOutput): Promise<number> {
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
    branch: values.branch ?? process.env.GITHUB_REF_NAME,
    commit: process.env.GITHUB_SHA,
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

/**
 * Runs the `stackyard` CLI and returns its exit code. Never runs a shell;
 * arguments are only ever used as file paths and names.
 */
export async function runCli(argv: readonly string[], out: CliOutput): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, out);
      case 'synth':
        return await synth(rest, out);
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
    if (
      e instanceof BadInputError ||
      e instanceof ManifestError ||
      e instanceof StackyardNameError ||
      e instanceof StageConfigError ||
      isParseArgsError(e)
    ) {
      out.stderr(`stackyard: ${(e as Error).message}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}
