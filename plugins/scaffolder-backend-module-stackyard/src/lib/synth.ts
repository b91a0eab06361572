import { existsSync, statSync } from 'fs';
import { join } from 'path';
import {
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  MANIFEST_FILE,
  ManifestError,
  RulePack,
  SandboxSynthResult,
  ServiceManifest,
  StageConfigError,
  SynthServiceResult,
  loadManifest,
  ruleDocsUrl,
  synthInSandbox,
  synthService,
} from '@stackyard/cdk-guardrails';
import {
  StackyardNameError,
  quoteValue,
} from '@stackyard/plugin-stackyard-common';
import {
  ServiceExtensions,
  TaskOrigin,
  checkExtensionAllowed,
  sandboxInputError,
} from './extensions';
import {
  ReportedFinding,
  formatReportedFinding,
  reportFindings,
} from './findings';

/** Turns the guardrails' input errors into Backstage `InputError`s. */
export function asInputError(error: unknown): unknown {
  if (
    error instanceof ManifestError ||
    error instanceof StackyardNameError ||
    error instanceof StageConfigError
  ) {
    return new InputError(error.message);
  }
  // Constructs refuse unsafe values when the stack is built; toolkit-lib
  // wraps such errors in an AssemblyError.
  if (
    error instanceof Error &&
    error.name === 'AssemblyError' &&
    error.cause instanceof Error
  ) {
    return new InputError(
      `The service cannot be built from its manifest: ${error.cause.message}`,
    );
  }
  return error;
}

/**
 * The directory of the service inside the task workspace. Refuses paths
 * that leave the workspace and directories without a `stackyard.yaml`.
 */
export function resolveAppDir(workspacePath: string, appDir: string): string {
  let dir: string;
  try {
    dir = resolveSafeChildPath(workspacePath, appDir);
  } catch {
    throw new InputError(
      `appDir ${quoteValue(appDir)} is outside the task workspace`,
    );
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(
      `appDir ${quoteValue(appDir)} is not a directory of the task workspace`,
    );
  }
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    throw new InputError(
      `appDir ${quoteValue(
        appDir,
      )} has no ${MANIFEST_FILE}: it is not a Stackyard service`,
    );
  }
  return dir;
}

/** Loads the service manifest of an app directory, as an `InputError` when invalid. */
export function loadServiceManifest(dir: string): ServiceManifest {
  try {
    return loadManifest(join(dir, MANIFEST_FILE));
  } catch (e) {
    throw asInputError(e);
  }
}

/** The outcome of {@link synthesizeService}. */
export interface ServiceSynthesis {
  readonly result: SynthServiceResult;
  readonly findings: ReportedFinding[];
}

/**
 * Synthesizes a service through cdk-guardrails, logs a resource summary per
 * stack and every finding with its fix hint. A manifest of pure data is
 * synthesized in-process; one that declares an `extension` (repository code)
 * is synthesized in a sandbox process, never in the backend, and refused in
 * dry runs of templates that are not registered in the catalog.
 */
export async function synthesizeService(options: {
  dir: string;
  /** The service's manifest, as {@link loadServiceManifest} read it. */
  manifest: ServiceManifest;
  prefix: string;
  stage: string;
  logger: LoggerService;
  env?: { account?: string; region?: string };
  packs?: readonly RulePack[];
  /** Where extensions run; without it, a manifest with an extension is refused. */
  extensions?: ServiceExtensions;
  /** The task (the action's context): dry runs are checked. */
  task?: TaskOrigin;
}): Promise<ServiceSynthesis> {
  const { dir, manifest, prefix, stage, logger } = options;
  let result: SynthServiceResult;
  if (manifest.extension === undefined) {
    try {
      result = await synthService({
        appDir: dir,
        manifest,
        prefix,
        stage,
        env: options.env,
        packs: options.packs,
      });
    } catch (e) {
      throw asInputError(e);
    }
  } else {
    result = await synthesizeExtended(options, manifest.extension);
  }
  for (const stack of result.stacks) {
    const types = Object.entries(stack.resourcesByType)
      .map(([type, count]) => `${count} ${type}`)
      .join(', ');
    logger.info(
      `Synthesized ${stack.stackName}: ${stack.resourceCount} resources (${types})`,
    );
  }
  const findings = reportFindings(result.findings, options.packs);
  for (const f of findings) {
    logger.error(formatReportedFinding(f));
  }
  // Warnings (warning rules, unused acknowledgements) never fail the task.
  for (const w of result.warnings) {
    logger.warn(
      `Warning ${w.ruleId} ${w.stack}/${w.path ?? w.logicalId}: ${
        w.message
      } (see ${ruleDocsUrl(w.ruleId)})`,
    );
  }
  for (const a of result.acknowledged) {
    logger.warn(
      `Acknowledged ${a.ruleId} ${a.stack}/${a.path ?? a.logicalId}: ${
        a.message
      } (reason: ${a.reason})`,
    );
  }
  logger.info(
    `Safety policy: ${findings.length} finding(s), ${result.warnings.length} warning(s), ${result.acknowledged.length} acknowledged, in ${result.durationMs} ms`,
  );
  return { result, findings };
}

async function synthesizeExtended(
  options: Parameters<typeof synthesizeService>[0],
  extension: string,
): Promise<SynthServiceResult> {
  const { extensions } = options;
  if (!extensions) {
    throw new InputError(
      `manifest extension ${quoteValue(
        extension,
      )} was not run: repository code runs only in a sandbox, and this action has none`,
    );
  }
  await checkExtensionAllowed(options.task, extensions.catalog, extension);
  options.logger.info(
    `Synthesizing in a sandbox: the manifest's extension ${quoteValue(
      extension,
    )} is repository code`,
  );
  let result: SandboxSynthResult;
  try {
    result = await synthInSandbox(extensions.sandbox, {
      appDir: options.dir,
      manifest: options.manifest,
      prefix: options.prefix,
      stage: options.stage,
      env: options.env,
      packs: options.packs,
      cache: extensions.syntheses,
    });
  } catch (e) {
    throw sandboxInputError(asInputError(e), extension);
  }
  if (result.reusedAfterMs !== undefined) {
    options.logger.info(
      `Reusing the sandbox synthesis of ${result.stackName} from ${(
        result.reusedAfterMs / 1000
      ).toFixed(
        1,
      )} s ago (same files, prefix, stage and environment, as in this task's synth step); the safety policy checks it again`,
    );
  }
  return result;
}

/** The error that fails a task whose synthesis has findings. */
export function findingsError(
  findings: readonly ReportedFinding[],
): InputError {
  return new InputError(
    `The safety policy found ${findings.length} problem(s):\n${findings
      .map(f => `  ${formatReportedFinding(f)}`)
      .join('\n')}`,
  );
}
