import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { quoteValue, stackNameFor } from '@stackyard/plugin-stackyard-common';
import {
  isProtectedStage,
  selectTarget,
} from '@stackyard/plugin-stackyard-node';
import type { StackyardActionsConfig } from '../lib/config';
import type { StackyardEnvironments } from '../lib/environments';
import { parseEntityRef } from '../lib/infraLink';
import { asInputError } from '../lib/synth';
import { examples } from './cdkDestroy.examples';
import * as inputProps from './inputProperties';

/** The ID of {@link createCdkDestroyAction}'s action. */
export const CDK_DESTROY_ACTION_ID = 'stackyard:cdk:destroy';

/**
 * `stackyard:cdk:destroy`: requests the teardown of an environment from the
 * stackyard backend on behalf of the task's initiator, so that the backend
 * checks their permission and audits it. Protected environments (protected
 * stages, termination protection) are refused.
 */
export function createCdkDestroyAction(options: {
  config: StackyardActionsConfig;
  environments: StackyardEnvironments;
}) {
  const { config, environments } = options;
  return createTemplateAction({
    id: CDK_DESTROY_ACTION_ID,
    description:
      'Tears down an environment of an entity through the stackyard backend (permission-checked, audited); never a protected one',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: inputProps.entityRef,
        target: inputProps.target,
        prefix: inputProps.prefix,
        stage: inputProps.stage,
      },
      output: {
        stackName: z => z.string().describe('The stack torn down'),
        environmentId: z =>
          z.string().describe('The environment in the stackyard backend'),
        operationId: z => z.string().describe('The teardown operation'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      parseEntityRef(input.entityRef);
      const target = selectTarget(config, input.target ?? 'local', input.stage);
      let stackName: string;
      try {
        stackName = stackNameFor(input.prefix, input.stage);
      } catch (e) {
        throw asInputError(e);
      }
      if (isProtectedStage(config, input.stage)) {
        throw new NotAllowedError(
          `${stackName} is protected: stage ${quoteValue(
            input.stage,
          )} is one of stackyard.protectedStages and is never torn down`,
        );
      }
      const environment = await environments.findEnvironment({
        entityRef: input.entityRef,
        target: target.name,
        stackName,
      });
      if (!environment) {
        throw new NotFoundError(
          `${input.entityRef} has no environment ${quoteValue(
            stackName,
          )} on target ${quoteValue(target.name)}`,
        );
      }
      if (environment.protected) {
        throw new NotAllowedError(
          `${stackName} is protected and is never torn down${
            environment.protectionReason
              ? `: ${environment.protectionReason}`
              : ''
          }`,
        );
      }
      ctx.output('stackName', stackName);
      ctx.output('environmentId', environment.id);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: ${stackName} on target ${target.name} would be torn down`,
        );
        ctx.output('operationId', 'dry-run');
        return;
      }
      const operationId = await ctx.checkpoint({
        key: `stackyard.teardown.${target.name}.${stackName}`,
        fn: async () => {
          const { operation } = await environments.requestTeardown(
            environment.id,
            await ctx.getInitiatorCredentials(),
          );
          return operation.id;
        },
      });
      ctx.logger.info(
        `Teardown of ${stackName} on target ${target.name} requested (operation ${operationId}); follow it on the entity's Infra tab`,
      );
      ctx.output('operationId', operationId);
    },
  });
}
