import { join } from 'path';
import { stackNameFor } from '@stackyard/plugin-stackyard-common';
import { buildService } from '../manifest/buildService';
import { ExtensionError } from '../manifest/ExtensionError';
import { loadExtension } from '../manifest/loadExtension';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { ServiceManifest } from '../manifest/schema';
import type { Service } from '../manifest/service';
import type { RulePack } from '../policy/types';
import { resolveStageConfig, stageOverridesOf } from '../stages/stageConfig';
import { SynthResult, synthApp } from './synthApp';

/** Options of {@link synthService}. */
export interface SynthServiceOptions {
  /** The service's directory: holds `stackyard.yaml` and the function code. */
  readonly appDir: string;
  /** The environment's prefix, e.g. from `resolvePrefix`. */
  readonly prefix: string;
  /** The stage, e.g. `dev`. */
  readonly stage: string;
  /**
   * The git branch and commit deployed (tags `stackyard:branch` and
   * `stackyard:commit`), e.g. CI's `GITHUB_REF_NAME` and `GITHUB_SHA`.
   *
   * @default - no branch or commit tags
   */
  readonly branch?: string;
  /** See `branch`. @default - no commit tag */
  readonly commit?: string;
  /**
   * The manifest, when already loaded.
   *
   * @default - `stackyard.yaml` in `appDir`, loaded and validated
   */
  readonly manifest?: ServiceManifest;
  /**
   * Custom CDK code that extends the service's stack, after the extension
   * module the manifest declares, if any.
   *
   * @default - none
   */
  readonly extend?: (service: Service) => void;
  /**
   * The rule packs to apply.
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
  /**
   * The stack's account and region.
   *
   * @default - environment-agnostic
   */
  readonly env?: { readonly account?: string; readonly region?: string };
  /**
   * Write the cloud assembly to this directory and keep it.
   *
   * @default - a temporary directory, removed afterwards
   */
  readonly assemblyDir?: string;
}

/** The outcome of {@link synthService}. */
export interface SynthServiceResult extends SynthResult {
  /** The service stack's name, `<prefix>-<stage>`. */
  readonly stackName: string;
}

/**
 * Synthesizes a manifest-based service in-process and runs the safety
 * policy: the path the scaffolder actions and the service's own CI share.
 * Throws a `ManifestError` for an invalid manifest (an `ExtensionError` when
 * its extension module is missing or throws) and a `StackyardNameError` for
 * an invalid prefix or stage; policy violations are returned as findings.
 */
export async function synthService(
  options: SynthServiceOptions,
): Promise<SynthServiceResult> {
  const manifestFile = join(options.appDir, MANIFEST_FILE);
  const manifest = options.manifest ?? loadManifest(manifestFile);
  const stackName = stackNameFor(options.prefix, options.stage);
  resolveStageConfig(options.stage, stageOverridesOf(manifest));
  // Loaded before synthesis: a missing module fails fast, and module loading
  // stays out of the synthesis (see withTokenScope).
  const extension = loadExtension(options.appDir, manifest, manifestFile) ?? (() => {});
  try {
    const result = await synthApp(app => {
      const service = buildService(app, manifest, {
        prefix: options.prefix,
        stage: options.stage,
        branch: options.branch,
        commit: options.commit,
        appDir: options.appDir,
        env: options.env,
        extension,
      });
      options.extend?.(service);
    }, { packs: options.packs, assemblyDir: options.assemblyDir });
    return { ...result, stackName };
  } catch (e) {
    // toolkit-lib wraps errors of the app in an AssemblyError; a failing
    // extension is bad input and keeps its own type.
    const cause = (e as { cause?: unknown } | undefined)?.cause;
    throw cause instanceof ExtensionError ? cause : e;
  }
}
