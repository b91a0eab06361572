import {
  DISCOVERY_ACTOR,
  type Environment,
} from '@stackyard/plugin-stackyard-common';

/**
 * Who deployed an environment: the user or service ref that created it, or,
 * for stacks deployed outside the portal (CI, laptops), that the reconciler
 * discovered them. The card's heading already names an AWS environment's
 * target, account and region, so those stay in the tooltip here.
 */
export function DeployedBy(props: {
  environment: Pick<
    Environment,
    'createdBy' | 'target' | 'targetType' | 'accountId' | 'region'
  >;
}) {
  const { createdBy, target, targetType, accountId, region } =
    props.environment;
  if (createdBy !== DISCOVERY_ACTOR) {
    return <span data-testid="deployed-by">created by {createdBy}</span>;
  }
  const where =
    accountId && region ? `account ${accountId} in ${region}` : target;
  return (
    <span
      data-testid="deployed-by"
      title={`Deployed outside the portal (e.g. by CI); the reconciler found its Stackyard tags in ${where}.`}
    >
      discovered in {targetType === 'aws' ? 'AWS' : target}
    </span>
  );
}
