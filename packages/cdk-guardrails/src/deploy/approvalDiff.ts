import type {
  ApprovalDiff,
  IamStatementChange,
  ManagedPolicyChange,
  ReplacedResource,
  SecurityGroupRuleChange,
} from '@stackyard/plugin-stackyard-common';

// The parts of toolkit-lib's TemplateDiff (`@aws-cdk/cloudformation-diff`)
// an approval records, read by shape: the deploy confirmation's
// `templateDiffs` carry instances of those classes.

interface Diffable<T> {
  readonly additions: readonly T[];
  readonly removals: readonly T[];
}

interface RenderableStatement {
  render(): {
    resource: string;
    effect: string;
    action: string;
    principal: string;
    condition: string;
  };
}

interface PolicyAttachment {
  readonly identityArn: string;
  readonly managedPolicyArn: string;
}

interface SecurityGroupRule {
  readonly groupId: string;
  describeProtocol(): string;
  describePeer(): string;
}

interface ResourceDifference {
  readonly changeImpact: string;
  readonly resourceType?: string;
  readonly oldResourceType?: string;
  readonly newResourceType?: string;
}

/** What an approval reads of one stack's template diff. */
export interface PermissionTemplateDiff {
  readonly iamChanges: {
    readonly statements: Diffable<RenderableStatement>;
    readonly managedPolicies: Diffable<PolicyAttachment>;
  };
  readonly securityGroupChanges: {
    readonly ingress: Diffable<SecurityGroupRule>;
    readonly egress: Diffable<SecurityGroupRule>;
  };
  readonly resources: {
    readonly changes: Readonly<Record<string, ResourceDifference>>;
  };
}

const MAX_TEXT = 4096;
const clip = (value: string | undefined, max = MAX_TEXT) =>
  (value ?? '').slice(0, max);

const both = <T, R>(
  d: Diffable<T>,
  map: (item: T, change: 'added' | 'removed') => R,
) => [
  ...d.additions.map(item => map(item, 'added')),
  ...d.removals.map(item => map(item, 'removed')),
];

function statementChange(
  statement: RenderableStatement,
  change: 'added' | 'removed',
): IamStatementChange {
  const r = statement.render();
  return {
    change,
    resource: clip(r.resource),
    effect: clip(r.effect, 64),
    action: clip(r.action),
    principal: clip(r.principal),
    condition: clip(r.condition),
  };
}

function ruleChange(direction: 'ingress' | 'egress') {
  return (
    rule: SecurityGroupRule,
    change: 'added' | 'removed',
  ): SecurityGroupRuleChange => ({
    change,
    direction,
    group: clip(rule.groupId, 2048),
    protocol: clip(rule.describeProtocol(), 256),
    peer: clip(rule.describePeer(), 2048),
  });
}

const IMPACTS: Record<string, ReplacedResource['impact'] | undefined> = {
  WILL_REPLACE: 'replace',
  MAY_REPLACE: 'may-replace',
};

/**
 * The diff an approver reviews, as data: IAM statements and managed
 * policies added or removed, security-group rules added or removed, and
 * the resources CloudFormation replaces, from toolkit-lib's template diffs
 * of the deploy (one per stack).
 */
export function approvalDiffOf(
  templateDiffs: Readonly<Record<string, PermissionTemplateDiff>>,
): ApprovalDiff {
  const diff: ApprovalDiff = {
    iamStatements: [],
    managedPolicies: [],
    securityGroupRules: [],
    replacedResources: [],
  };
  for (const stackDiff of Object.values(templateDiffs)) {
    const { iamChanges, securityGroupChanges, resources } = stackDiff;
    diff.iamStatements.push(...both(iamChanges.statements, statementChange));
    diff.managedPolicies.push(
      ...both(
        iamChanges.managedPolicies,
        (a, change): ManagedPolicyChange => ({
          change,
          resource: clip(a.identityArn, 2048),
          managedPolicyArn: clip(a.managedPolicyArn, 2048),
        }),
      ),
    );
    diff.securityGroupRules.push(
      ...both(securityGroupChanges.ingress, ruleChange('ingress')),
      ...both(securityGroupChanges.egress, ruleChange('egress')),
    );
    for (const [logicalId, change] of Object.entries(resources.changes)) {
      const impact = IMPACTS[change.changeImpact];
      if (!impact) continue;
      diff.replacedResources.push({
        logicalId: clip(logicalId, 255),
        resourceType: clip(
          change.newResourceType ??
            change.oldResourceType ??
            change.resourceType ??
            'unknown',
          255,
        ),
        impact,
      });
    }
  }
  return diff;
}
