import { join } from 'path';
import {
  MANIFEST_FILE,
  SandboxPool,
  SynthServiceResult,
  loadManifest,
  synthInSandbox,
  synthService,
} from '@stackyard/cdk-guardrails';

/**
 * Synthesizes the upgraded service and runs the safety policy over it, as
 * the scaffolder's synth step does: a manifest of pure data in this process,
 * one with an extension (repository code) only in the sandbox.
 */
export async function checkPolicy(
  dir: string,
  sandbox?: SandboxPool,
): Promise<{ passed: boolean; lines: string[] }> {
  let result: SynthServiceResult;
  try {
    const manifest = loadManifest(join(dir, MANIFEST_FILE));
    const options = { appDir: dir, manifest, prefix: 'upgrade', stage: 'dev' };
    if (manifest.extension === undefined) {
      result = await synthService(options);
    } else if (sandbox) {
      result = await synthInSandbox(sandbox, options);
    } else {
      return {
        passed: false,
        lines: [
          `Policy not checked: the manifest's extension is repository code, which runs only in a sandbox, and none was given`,
        ],
      };
    }
  } catch (e) {
    return {
      passed: false,
      lines: [`Synthesis failed: ${(e as Error).message}`],
    };
  }
  const lines = result.findings.map(
    f => `${f.ruleId} at ${f.stack}/${f.path ?? f.logicalId}: ${f.message}`,
  );
  // Warnings are listed; like acknowledged findings they never fail.
  lines.push(
    ...result.warnings.map(
      w => `warning: ${w.ruleId} at ${w.stack}/${w.path ?? w.logicalId}: ${w.message}`,
    ),
    `Safety policy: ${result.findings.length} finding(s), ${result.warnings.length} warning(s) on ${result.stackName}`,
  );
  return { passed: result.findings.length === 0, lines };
}
