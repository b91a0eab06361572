import { cpSync, lstatSync, readFileSync } from 'fs';
import { join, resolve, sep } from 'path';
import { stackNameFor } from '@stackyard/plugin-stackyard-common';
import { ExtensionError } from '../manifest/ExtensionError';
import { ManifestError } from '../manifest/ManifestError';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { ServiceManifest } from '../manifest/schema';
import { evaluateTemplate } from '../policy/evaluateTemplate';
import { SANDBOX_RULE_ID } from '../policy/metaRules';
import type { AcknowledgedFinding, Finding, PassedCheck, RulePack } from '../policy/types';
import { resolveStageConfig, stageOverridesOf } from '../stages/stageConfig';
import { StackSummary, summarizeTemplate } from '../synth/summarize';
import type { SynthServiceResult } from '../synth/synthService';
import { ASSEMBLY_DIR_NAME, SynthJobInput, SynthJobOutput } from './jobs';
import { SandboxError } from './SandboxError';
import type { SandboxPool } from './SandboxPool';
import { SandboxResultCache } from './SandboxResultCache';

/** Options of {@link synthInSandbox}. */
export interface SynthInSandboxOptions {
  /** The service's directory: holds `stackyard.yaml`, the function code and the extension. */
  readonly appDir: string;
  readonly prefix: string;
  readonly stage: string;
  /**
   * The manifest, when already loaded.
   *
   * @default - `stackyard.yaml` in `appDir`, loaded and validated
   */
  readonly manifest?: ServiceManifest;
  /**
   * The rule packs to apply (in this process, to the templates the sandbox returns).
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
  readonly env?: { readonly account?: string; readonly region?: string };
  /**
   * Copy the cloud assembly out of the sandbox into this (empty or absent)
   * directory, to deploy it with toolkit-lib's `fromAssemblyDirectory`.
   *
   * @default - the assembly is not kept
   */
  readonly assemblyDir?: string;
  /**
   * Reuse the sandbox's answer for the same files, prefix, stage and
   * environment (not when `assemblyDir` is set: the assembly's files are
   * not kept). The policy still runs over a reused answer.
   *
   * @default - every call runs a sandbox
   */
  readonly cache?: SandboxResultCache;
}

/** What {@link synthInSandbox} returns. */
export interface SandboxSynthResult extends SynthServiceResult {
  /**
   * Set when the sandbox's answer was reused from the cache: how old it is,
   * in milliseconds.
   */
  readonly reusedAfterMs?: number;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The templates of a cloud assembly's stacks, read from its files. */
function assemblyTemplates(dir: string): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const templates: Record<string, unknown> = {};
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    if (artifact?.type !== 'aws:cloudformation:stack') continue;
    const file = String(artifact.properties?.templateFile);
    const path = resolve(dir, file);
    if (!path.startsWith(`${resolve(dir)}${sep}`)) {
      throw new Error(
        `the assembly's template ${JSON.stringify(file)} is outside it`,
      );
    }
    templates[String(artifact.properties?.stackName ?? artifact.displayName)] =
      JSON.parse(readFileSync(path, 'utf8'));
  }
  return templates;
}

/**
 * Synthesizes a service whose manifest declares an `extension` (repository
 * code) in a sandbox of the pool, and runs the safety policy here, in the
 * caller's process, over the templates it returns: the sandbox's own
 * verdict is not trusted, and every stack is judged by the requested stage.
 * Returns what {@link synthService} returns; with a `cache`, an answer for
 * the same input is reused (`reusedAfterMs`) and judged again. A failing extension is an
 * {@link ExtensionError}; a sandbox that runs out of time or memory, or
 * cannot start, is a {@link SandboxError}.
 */
export async function synthInSandbox(
  pool: SandboxPool,
  options: SynthInSandboxOptions,
): Promise<SandboxSynthResult> {
  const started = performance.now();
  const manifestFile = join(options.appDir, MANIFEST_FILE);
  const manifest = options.manifest ?? loadManifest(manifestFile);
  const stackName = stackNameFor(options.prefix, options.stage);
  const stage = resolveStageConfig(options.stage, stageOverridesOf(manifest));
  const job: SynthJobInput = {
    prefix: options.prefix,
    stage: options.stage,
    ...(options.env
      ? { env: { account: options.env.account, region: options.env.region } }
      : {}),
    keepAssembly: options.assemblyDir !== undefined,
  };
  const sandboxJob = { kind: 'synth', ...job };
  const cache = options.assemblyDir === undefined ? options.cache : undefined;
  const key = cache && SandboxResultCache.key(options.appDir, sandboxJob);
  const cached = key ? cache?.get<SynthJobOutput>(key) : undefined;
  let output: SynthJobOutput;
  try {
    if (cached) {
      output = cached.value;
    } else if (options.assemblyDir === undefined) {
      output = await pool.run<SynthJobOutput>(options.appDir, sandboxJob);
      // Kept only if the files did not change while the sandbox copied them.
      if (key && SandboxResultCache.key(options.appDir, sandboxJob) === key) {
        cache!.set(key, output);
      }
    } else {
      const assemblyDir = options.assemblyDir;
      output = await pool.run<SynthJobOutput>(
        options.appDir,
        sandboxJob,
        async (value, sandboxDir) => {
          // The sandbox's own path, not the one it names: its answer is data.
          cpSync(join(sandboxDir, ASSEMBLY_DIR_NAME), assemblyDir, {
            recursive: true,
            filter: source => !lstatSync(source).isSymbolicLink(),
          });
          // What gets deployed is judged: the copied files, not the answer.
          return { ...value, templates: assemblyTemplates(assemblyDir) };
        },
      );
    }
  } catch (e) {
    if (e instanceof SandboxError && e.reason === 'failed') {
      if (
        e.jobErrorName === 'ExtensionError' &&
        manifest.extension !== undefined
      ) {
        const detail =
          e.issues?.find(i => i.path === 'extension')?.message ?? e.message;
        throw new ExtensionError(manifestFile, manifest.extension, detail);
      }
      if (e.jobErrorName === 'ManifestError') {
        throw new ManifestError(
          manifestFile,
          e.issues ?? [{ path: '', message: e.message }],
        );
      }
    }
    throw e;
  }
  const templates: Record<string, unknown> = {};
  const stacks: StackSummary[] = [];
  const findings: Finding[] = [];
  const warnings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const passed: PassedCheck[] = [];
  for (const [name, template] of Object.entries(asObject(output.templates))) {
    const path = String(asObject(output.stackPaths)[name] ?? name);
    templates[name] = template;
    stacks.push(summarizeTemplate(name, path, template as never));
    const report = evaluateTemplate(template, {
      stack: name,
      stackPath: path,
      stage,
      packs: options.packs,
    });
    findings.push(...report.findings);
    warnings.push(...report.warnings);
    acknowledged.push(...report.acknowledged);
    passed.push(...report.passed);
  }
  if (!(stackName in templates)) {
    findings.push({
      ruleId: SANDBOX_RULE_ID,
      stack: stackName,
      logicalId: stackName,
      resourceType: 'stack',
      message: `the service's stack ${stackName} was not synthesized`,
    });
  }
  for (const a of Array.isArray(output.annotations) ? output.annotations : []) {
    const f = asObject(a);
    findings.push({
      ruleId: String(f.ruleId),
      stack: String(f.stack),
      logicalId: String(f.logicalId),
      path: String(f.path),
      resourceType: 'construct',
      message: String(f.message),
    });
  }
  return {
    stackName,
    templates,
    stacks,
    findings,
    warnings,
    acknowledged,
    passed,
    ok: findings.length === 0,
    durationMs: Math.round(performance.now() - started),
    ...(cached ? { reusedAfterMs: cached.ageMs } : {}),
  };
}
