import { join } from 'path';
import { stackNameFor } from '@stackyard/plugin-stackyard-common';
import { Service, buildService } from '../manifest/buildService';
import { MANIFEST_FILE, loadManifest } from '../manifest/loadManifest';
import type { ServiceManifest } from '../manifest/schema';
import type { RulePack } from '../policy/types';
import { StageConfigOverride, resolveStageConfig } from '../stages/stageConfig';
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
   * The manifest, when already loaded.
   *
   * @default - `stackyard.yaml` in `appDir`, loaded and validated
   */
  readonly manifest?: ServiceManifest;
  /**
   * Custom CDK code that extends the service's stack.
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
}

/** The outcome of {@link synthService}. */
export interface SynthServiceResult extends SynthResult {
  /** The service stack's name, `<prefix>-<stage>`. */
  readonly stackName: string;
}

/**
 * Synthesizes a manifest-based service in-process and runs the safety
 * policy: the path the scaffolder actions and the service's own CI share.
 * Throws a `ManifestError` for an invalid manifest and a `StackyardNameError`
 * for an invalid prefix or stage; policy violations are returned as findings.
 */
export async function synthService(
  options: SynthServiceOptions,
): Promise<SynthServiceResult> {
  const manifest = options.manifest ?? loadManifest(join(options.appDir, MANIFEST_FILE));
  const stackName = stackNameFor(options.prefix, options.stage);
  const overrides: Record<string, StageConfigOverride> = {};
  for (const [name, { functions: _f, ...config }] of Object.entries(manifest.stages ?? {})) {
    overrides[name] = config;
  }
  resolveStageConfig(options.stage, overrides);
  const result = await synthApp(app => {
    const service = buildService(app, manifest, {
      prefix: options.prefix,
      stage: options.stage,
      appDir: options.appDir,
      env: options.env,
    });
    options.extend?.(service);
  }, { packs: options.packs });
  return { ...result, stackName };
}
