import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Toolkit } from '@aws-cdk/toolkit-lib';
import { App, Validations } from 'aws-cdk-lib';
import { SafetyPolicyPlugin } from '../policy/SafetyPolicyPlugin';
import { ANNOTATION_RULE_ID } from '../policy/metaRules';
import type { AcknowledgedFinding, Finding, PassedCheck, RulePack } from '../policy/types';
import type { StageConfig } from '../stages/stageConfig';
import { QuietIoHost } from './quietIoHost';
import { StackSummary, summarizeTemplate } from './summarize';
import { forgetReferencesTo } from './referenceTable';
import { withTokenScope } from './tokenScope';

/** Prefix of the temporary output directories of in-process synthesis. */
export const SYNTH_TMP_PREFIX = 'stackyard-synth-';

export { ANNOTATION_RULE_ID };

/** Options of {@link synthApp}. */
export interface SynthAppOptions {
  /**
   * The stage whose rules apply to every stack.
   *
   * @default - each template's recorded stage; production rules when none
   */
  readonly stage?: StageConfig;
  /**
   * The rule packs to apply.
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
  /**
   * Extra context for the app.
   *
   * @default - none
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Write the cloud assembly to this directory and keep it (to deploy it
   * later with toolkit-lib's `fromAssemblyDirectory`).
   *
   * @default - a temporary directory, removed afterwards
   */
  readonly assemblyDir?: string;
}

/** The outcome of an in-process synthesis. */
export interface SynthResult {
  /** Templates by stack name, including stacks nested in Stages. */
  readonly templates: Readonly<Record<string, unknown>>;
  /** Resource counts per stack. */
  readonly stacks: readonly StackSummary[];
  /** Findings that fail the policy. */
  readonly findings: readonly Finding[];
  /** Findings reported that never fail (warning rules, unused acknowledgements). */
  readonly warnings: readonly Finding[];
  /** Findings accepted by acknowledgements. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** The rules that applied to a resource and passed. */
  readonly passed: readonly PassedCheck[];
  /** True when there are no findings (warnings do not count). */
  readonly ok: boolean;
  /** How long synthesis and the policy took, in milliseconds. */
  readonly durationMs: number;
}

/**
 * Synthesizes an app in-process with `@aws-cdk/toolkit-lib` and the safety
 * policy plugin: `fromAssemblyBuilder` with `clobberEnv: false`, its own
 * temporary output directory per call (removed afterwards, as is the
 * assembly), no AWS calls. Findings come from the plugin, which sees every
 * stack including those nested in a `Stage`; annotation errors become
 * `CDK-ANNOTATION` findings.
 *
 * @param build - adds the app's stacks to the given App
 */
export async function synthApp(
  build: (app: App) => void,
  options: SynthAppOptions = {},
): Promise<SynthResult> {
  const started = performance.now();
  const plugin = new SafetyPolicyPlugin({ stage: options.stage, packs: options.packs });
  const ioHost = new QuietIoHost();
  const toolkit = new Toolkit({ ioHost, color: false, emojis: false, assemblyFailureAt: 'none' });
  const outdir = options.assemblyDir ?? mkdtempSync(join(tmpdir(), SYNTH_TMP_PREFIX));
  try {
    const source = await toolkit.fromAssemblyBuilder(
      // Built and synthesized synchronously inside a token scope, then
      // forgotten by the reference table: aws-cdk-lib's process-wide tables
      // would otherwise keep every App alive (see README, Benchmark).
      async props => withTokenScope(() => {
        const app = new App({
          outdir: props.outdir,
          stackTraces: false,
          // The built-in schema validation only warns by default and costs
          // seconds per cold start; the safety policy is what gates synthesis.
          builtinCloudFormationValidation: false,
          context: {
            ...props.context,
            '@aws-cdk/core:failSynthOnValidationErrors': false,
            ...options.context,
          },
        });
        try {
          Validations.of(app).addPlugins(plugin);
          build(app);
          return app.synth();
        } finally {
          forgetReferencesTo(app);
        }
      }).value,
      {
        clobberEnv: false,
        outdir,
        disposeOutdir: !options.assemblyDir,
        lookups: false,
        resolveDefaultEnvironment: false,
      },
    );
    const assembly = await toolkit.synth(source);
    try {
      if (plugin.error) {
        throw plugin.error;
      }
      if (plugin.runs === 0) {
        throw new Error('the safety policy did not run during synthesis');
      }
      const templates: Record<string, unknown> = {};
      const stacks: StackSummary[] = [];
      const annotations: Finding[] = [];
      for (const stack of assembly.cloudAssembly.stacksRecursively) {
        templates[stack.stackName] = stack.template;
        stacks.push(summarizeTemplate(stack.stackName, stack.hierarchicalId, stack.template));
        for (const message of stack.messages) {
          if (message.level === 'error') {
            annotations.push({
              ruleId: ANNOTATION_RULE_ID,
              stack: stack.stackName,
              logicalId: message.id,
              path: message.id.replace(/^\//, ''),
              resourceType: 'construct',
              message: String(message.entry.data),
            });
          }
        }
      }
      const findings = [...plugin.findings, ...annotations];
      return {
        templates,
        stacks,
        findings,
        warnings: plugin.warnings,
        acknowledged: plugin.acknowledged,
        passed: plugin.passed,
        ok: findings.length === 0,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      await assembly.dispose();
    }
  } finally {
    if (!options.assemblyDir) {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
}
