import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import type { PolicyReport } from '../policy/types';
import type { ServiceManifest } from '../manifest/schema';
import {
  REPORT_FORMATS,
  ReportFormat,
  ReportInput,
  isReportFormat,
  manifestLocator,
  renderReport,
  textReport,
} from '../report';
import { CliOutput, UsageError } from './cliContract';
import { BadInputError } from './readTemplates';

/** The options of every command that reports the policy's verdict. */
export const REPORT_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** `--format` (or `--json`, its older spelling of `--format json`), checked. */
export function formatOf(values: { format?: string; json?: boolean }): ReportFormat {
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

/** How a command reports the policy's verdict. */
export interface ReportOptions {
  readonly format: ReportFormat;
  /** Write the report here; the text report then goes to the terminal. */
  readonly output?: string;
  readonly locate: ReportInput['locate'];
  readonly stackKey?: ReportInput['stackKey'];
  readonly extra?: ReportInput['extra'];
}

/**
 * How `synth` and `deploy` report a service built from its manifest: its
 * findings located at the lines of `stackyard.yaml` (or its extension) that
 * built the resource, and fingerprinted by stack name without the prefix, so
 * fingerprints stay the same on every branch (the prefix is the branch's).
 */
export function manifestReporting(options: {
  readonly format: ReportFormat;
  readonly output?: string;
  readonly appDir: string;
  readonly manifestFile: string;
  readonly manifest: ServiceManifest;
  readonly prefix: string;
  readonly extra: ReportInput['extra'];
}): ReportOptions {
  const { appDir, manifest, prefix } = options;
  return {
    format: options.format,
    output: options.output,
    locate: manifestLocator({
      manifestFile: options.manifestFile,
      extensionFile: manifest.extension !== undefined ? join(appDir, manifest.extension) : undefined,
    }),
    stackKey: stack => (stack.startsWith(`${prefix}-`) ? stack.slice(prefix.length + 1) : stack),
    extra: options.extra,
  };
}

function inputOf(result: PolicyReport, options: ReportOptions): ReportInput {
  return {
    report: result,
    locate: options.locate,
    stackKey: options.stackKey,
    extra: options.extra,
  };
}

/**
 * Whether the terminal shows the text report: with `--format text`, or
 * when the report goes to `--output`.
 */
export function showsText(options: Pick<ReportOptions, 'format' | 'output'>): boolean {
  return options.format === 'text' || options.output !== undefined;
}

/** The text report: failing findings on stdout, warnings and the summary on stderr. */
export function printPolicyText(out: CliOutput, result: PolicyReport, options: ReportOptions): void {
  const text = textReport(inputOf(result, options));
  text.stdout.forEach(l => out.stdout(l));
  text.stderr.forEach(l => out.stderr(l));
}

/**
 * The report as one document in its format: to `--output`, or else to
 * stdout (the text format has no document of its own there).
 */
export function emitPolicyDocument(out: CliOutput, result: PolicyReport, options: ReportOptions): void {
  const document = renderReport(options.format, inputOf(result, options));
  if (options.output !== undefined) writeReport(options.output, document);
  else if (options.format !== 'text') out.stdout(document);
}

/**
 * Reports a verdict as `check` and `synth` do: the document in its format
 * (to stdout, or to `--output` with the text report on the terminal).
 * True when nothing failed.
 */
export function reportPolicy(out: CliOutput, result: PolicyReport, options: ReportOptions): boolean {
  emitPolicyDocument(out, result, options);
  if (showsText(options)) printPolicyText(out, result, options);
  return result.findings.length === 0;
}

/** Writes a document to `file`, creating its directory. */
export function writeReport(file: string, document: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, `${document}\n`);
  } catch (e) {
    throw new BadInputError(`cannot write the report to ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}
