import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  StackyardNameError,
  resolvePrefixWithSource,
  stackNameFor,
} from '@stackyard/plugin-stackyard-common';
import { examples } from './prefixResolve.examples';
import * as inputProps from './inputProperties';

/** The ID of {@link createPrefixResolveAction}'s action. */
export const PREFIX_RESOLVE_ACTION_ID = 'stackyard:prefix:resolve';

/**
 * `stackyard:prefix:resolve`: the environment prefix and stack name from a
 * branch, an explicit override, the project code and the stage.
 */
export function createPrefixResolveAction() {
  return createTemplateAction({
    id: PREFIX_RESOLVE_ACTION_ID,
    description:
      'Resolves the prefix (feature/wo-42-x → wo-42, main → wo, or an explicit override) and the stack name <prefix>-<stage> of an environment',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        project: z =>
          z
            .string()
            .describe(
              'Project code, e.g. "wo": a lowercase letter, then up to 31 lowercase letters or digits',
            ),
        stage: inputProps.stage,
        branch: inputProps.branch,
        override: z =>
          z
            .string()
            .optional()
            .describe(
              'Explicit prefix that wins over the branch; blank means none',
            ),
      },
      output: {
        prefix: z => z.string().describe('The prefix, e.g. "wo-42"'),
        stackName: z =>
          z.string().describe('The stack name, "<prefix>-<stage>"'),
        source: z =>
          z
            .enum(['override', 'branch', 'project'])
            .describe('Where the prefix came from'),
      },
    },
    async handler(ctx) {
      const { project, stage, branch, override } = ctx.input;
      let resolved;
      let stackName: string;
      try {
        resolved = resolvePrefixWithSource({ project, branch, override });
        stackName = stackNameFor(resolved.prefix, stage);
      } catch (e) {
        if (e instanceof StackyardNameError) {
          throw new InputError(e.message);
        }
        throw e;
      }
      ctx.logger.info(
        `Prefix ${resolved.prefix} (from the ${resolved.source}), stack ${stackName}`,
      );
      ctx.output('prefix', resolved.prefix);
      ctx.output('stackName', stackName);
      ctx.output('source', resolved.source);
    },
  });
}
