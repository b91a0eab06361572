import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RulePack } from '@stackyard/cdk-guardrails';
import type { ServiceExtensions } from '../lib/extensions';
import { prefixFor } from '../lib/prefix';
import {
  findingsError,
  loadServiceManifest,
  resolveAppDir,
  synthesizeService,
} from '../lib/synth';
import { examples } from './cdkSynth.examples';
import * as inputProps from './inputProperties';

/** The ID of {@link createCdkSynthAction}'s action. */
export const CDK_SYNTH_ACTION_ID = 'stackyard:cdk:synth';

/**
 * `stackyard:cdk:synth`: synthesizes the service in the task workspace
 * through cdk-guardrails (the same library as the service's own CI):
 * in-process for a manifest of pure data, in a sandbox process when the
 * manifest's `extension` is repository code. Logs a resource summary and
 * fails the task listing every safety finding with its rule, construct path
 * and fix hint.
 */
export function createCdkSynthAction(
  options: {
    /**
     * The rule packs to apply.
     *
     * @default - cdk-guardrails' default, the Stackyard core pack
     */
    packs?: readonly RulePack[];
    /**
     * Where manifest extensions run.
     *
     * @default - none: a manifest with an extension is refused
     */
    extensions?: ServiceExtensions;
  } = {},
) {
  return createTemplateAction({
    id: CDK_SYNTH_ACTION_ID,
    description:
      'Synthesizes a Stackyard service (stackyard.yaml), in-process or, for a manifest extension, in a sandbox; runs the safety policy and fails on any finding',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        appDir: inputProps.appDir,
        stage: inputProps.stage,
        prefix: inputProps.optionalPrefix,
        branch: inputProps.branch,
      },
      output: {
        stackNames: z => z.array(z.string()).describe('Synthesized stacks'),
        resourceCounts: z =>
          z.record(z.string(), z.number()).describe('Resource count per stack'),
        findings: z =>
          z
            .array(
              z.object({
                rule: z.string(),
                stack: z.string(),
                path: z.string(),
                resourceType: z.string(),
                message: z.string(),
                fix: z.string(),
              }),
            )
            .describe(
              'Safety policy findings; the task fails when there are any',
            ),
      },
    },
    async handler(ctx) {
      const dir = resolveAppDir(ctx.workspacePath, ctx.input.appDir ?? '.');
      const manifest = loadServiceManifest(dir);
      const prefix = prefixFor({
        prefix: ctx.input.prefix,
        branch: ctx.input.branch,
        project: manifest.service.project,
      });
      const { result, findings } = await synthesizeService({
        dir,
        manifest,
        prefix,
        stage: ctx.input.stage,
        logger: ctx.logger,
        packs: options.packs,
        extensions: options.extensions,
        task: ctx,
      });
      ctx.output(
        'stackNames',
        result.stacks.map(s => s.stackName),
      );
      ctx.output(
        'resourceCounts',
        Object.fromEntries(
          result.stacks.map(s => [s.stackName, s.resourceCount]),
        ),
      );
      ctx.output('findings', findings);
      if (findings.length > 0) {
        throw findingsError(findings);
      }
    },
  });
}
