import { InputError, NotAllowedError } from '@backstage/errors';
import {
  RegisterDeploymentRequest,
  STACKYARD_TAG_KEYS,
  quoteValue,
} from '@stackyard/plugin-stackyard-common';
import type { AwsTarget } from '../aws/AwsClientFactory';
import type { StackGateway } from '../aws/CloudFormationStacks';
import { readDiscoveryTags } from '../reconciler/discovery';

/** What the stack in AWS adds to a CI registration. */
export type CiStackFacts = Pick<
  RegisterDeploymentRequest,
  'stackId' | 'outputs' | 'expiresAt' | 'branch' | 'commit'
>;

/**
 * Checks a deployment a CI token registers for an aws target against the
 * stack itself (one DescribeStacks): it must exist in the target's account
 * and region, and its Stackyard tags must name the entity, prefix and stage
 * registered. A token that leaks can then record only stacks that are
 * really deployed and tagged for that entity (which discovery would adopt
 * anyway), never plant environments, and what AWS knows replaces what the
 * request says: the stack id, its outputs, the expiry its ttl tag implies,
 * and its branch and commit tags.
 */
export async function checkCiStack(options: {
  stacks: Pick<StackGateway, 'describeStack'>;
  target: AwsTarget;
  request: RegisterDeploymentRequest;
  defaultTtlHours: number;
}): Promise<CiStackFacts> {
  const { target, request } = options;
  const stack = await options.stacks.describeStack(target, request.stackName);
  if (!stack || stack.stackStatus === 'DELETE_COMPLETE') {
    throw new InputError(
      `Stack ${quoteValue(request.stackName)} does not exist in account ${
        target.accountId
      }, region ${target.region} (target "${
        target.name
      }"): CI registers a stack once it is deployed there`,
    );
  }
  const verdict = readDiscoveryTags(stack, options.defaultTtlHours);
  if (verdict.kind !== 'adoptable') {
    throw new NotAllowedError(
      `Stack ${quoteValue(request.stackName)} on target "${
        target.name
      }" is not registered: ${
        verdict.kind === 'orphan'
          ? verdict.reason
          : `it has no ${STACKYARD_TAG_KEYS.entityRef} tag`
      }`,
    );
  }
  const tagged = verdict.stack;
  const entityRef = request.entityRef.toLocaleLowerCase('en-US');
  if (
    tagged.entityRef.toLocaleLowerCase('en-US') !== entityRef ||
    tagged.prefix !== request.prefix ||
    tagged.stage !== request.stage
  ) {
    throw new NotAllowedError(
      `Stack ${quoteValue(request.stackName)} on target "${
        target.name
      }" is tagged for ${quoteValue(tagged.entityRef)} (prefix ${quoteValue(
        tagged.prefix,
      )}, stage ${quoteValue(tagged.stage)}), not for ${quoteValue(
        entityRef,
      )} as registered`,
    );
  }
  return {
    stackId: stack.stackId,
    outputs: stack.outputs,
    expiresAt: tagged.expiresAt?.toISOString(),
    branch: tagged.branch,
    commit: tagged.commit,
  };
}
