import {
  MANIFEST_FILE,
  SandboxPool,
  loadManifest,
  synthInSandbox,
  synthService,
} from '@stackyard/cdk-guardrails';
import { join } from 'node:path';
import type { SynthesizeCheckout } from './PreviewSource';

/**
 * Synthesizes a checkout through cdk-guardrails, as the deploy did: a
 * manifest of pure data in-process, one with an `extension` (repository
 * code) in the sandbox, never in the backend. The pool is `sandbox` (the
 * backend's, which its owner closes), or else one made on first use.
 */
export function createCheckoutSynthesizer(
  sandbox?: SandboxPool,
): SynthesizeCheckout & {
  close(): Promise<void>;
} {
  let pool: SandboxPool | undefined = sandbox;
  const synthesize = async (options: {
    appDir: string;
    prefix: string;
    stage: string;
    stackName: string;
  }) => {
    const manifest = loadManifest(join(options.appDir, MANIFEST_FILE));
    const input = {
      appDir: options.appDir,
      manifest,
      prefix: options.prefix,
      stage: options.stage,
    };
    let templates: Readonly<Record<string, unknown>>;
    if (manifest.extension === undefined) {
      templates = (await synthService(input)).templates;
    } else {
      pool ??= SandboxPool.create({ prewarm: false });
      templates = (await synthInSandbox(pool, input)).templates;
    }
    const template = templates[options.stackName];
    if (!template) {
      throw new Error(
        `Synthesizing ${options.appDir} made no stack ${options.stackName}`,
      );
    }
    return { manifest, template };
  };
  return Object.assign(synthesize, {
    async close() {
      if (pool !== sandbox) await pool?.close();
    },
  });
}
