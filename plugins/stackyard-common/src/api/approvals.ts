/**
 * Schemas of reviewed approvals: a deploy whose change set broadens IAM or
 * security-group permissions stops before execution, keeps its change set
 * and records the exact diff; an approver executes or rejects it.
 */
import { z } from 'zod';
import { operationSchema } from './models';

const timestamp = (description: string) =>
  z.iso.datetime({ offset: true }).meta({ description });

/** `added` or `removed`: what the change does to the rule or statement. */
const changeSchema = z.enum(['added', 'removed']);

const text = (max: number, description?: string) =>
  z
    .string()
    .max(max)
    .meta(description ? { description } : {});

export const iamStatementChangeSchema = z
  .object({
    change: changeSchema,
    resource: text(4096, 'The resources the statement names, one per line.'),
    effect: text(64),
    action: text(4096, 'The actions, one per line.'),
    principal: text(4096, 'The principals, one per line.'),
    condition: text(4096, 'The condition, as JSON; empty when none.'),
  })
  .strict()
  .meta({ id: 'IamStatementChange' });

export const managedPolicyChangeSchema = z
  .object({
    change: changeSchema,
    resource: text(2048, 'The role, user or group the policy is attached to.'),
    managedPolicyArn: text(2048),
  })
  .strict()
  .meta({ id: 'ManagedPolicyChange' });

export const securityGroupRuleChangeSchema = z
  .object({
    change: changeSchema,
    direction: z.enum(['ingress', 'egress']),
    group: text(2048, 'The security group the rule belongs to.'),
    protocol: text(256, 'Protocol and ports, e.g. `TCP 443`.'),
    peer: text(2048, 'The CIDR, security group or prefix list reached.'),
  })
  .strict()
  .meta({ id: 'SecurityGroupRuleChange' });

export const replacedResourceSchema = z
  .object({
    logicalId: text(255),
    resourceType: text(255),
    impact: z.enum(['replace', 'may-replace']).meta({
      description:
        '`replace`: CloudFormation creates a new physical resource and deletes the old one; `may-replace`: it will if a property it cannot know yet changes.',
    }),
  })
  .strict()
  .meta({ id: 'ReplacedResource' });

const bounded = <T extends z.ZodType>(item: T) => z.array(item).max(2000);

export const approvalDiffSchema = z
  .object({
    iamStatements: bounded(iamStatementChangeSchema),
    managedPolicies: bounded(managedPolicyChangeSchema),
    securityGroupRules: bounded(securityGroupRuleChangeSchema),
    replacedResources: bounded(replacedResourceSchema),
  })
  .strict()
  .meta({
    id: 'ApprovalDiff',
    description:
      'What the change set changes that needs review: IAM statements and managed policies, security-group rules (added or removed), and resources CloudFormation replaces.',
  });

/** What a deploy that stopped for approval records (`RegisterDeploymentRequest.approval`). */
export const approvalRequestSchema = z
  .object({
    changeSetName: z
      .string()
      .regex(/^[A-Za-z][-A-Za-z0-9]{0,127}$/, {
        message: 'must be a CloudFormation change set name',
      })
      .meta({
        description:
          "The change set kept for review, on the environment's stack; the backend looks it up and pins its ARN.",
      }),
    diff: approvalDiffSchema,
  })
  .strict()
  .meta({ id: 'ApprovalRequest' });

export const approvalStateSchema = z
  .enum(['pending', 'approved', 'rejected', 'stale'])
  .meta({
    description:
      '`pending`: waiting for an approver; `approved`: the change set was executed (`operationId` follows it); `rejected`: the change set was deleted; `stale`: the stack changed after the change set was made, so it was refused and deleted.',
  });

export const approvalSchema = z
  .object({
    environmentId: z.uuid(),
    state: approvalStateSchema,
    changeSetName: z.string(),
    changeSetId: z
      .string()
      .meta({ description: 'The ARN of the change set kept for review.' }),
    changeSetCreatedAt: timestamp('When CloudFormation created the change set.'),
    diff: approvalDiffSchema,
    requestedBy: z.string().meta({
      description:
        'Who started the deploy: they may never approve it themselves.',
    }),
    requestedAt: timestamp('When the deploy stopped for approval.'),
    decidedBy: z.string().optional(),
    decidedAt: timestamp(
      'When it was approved, rejected or refused.',
    ).optional(),
    comment: z.string().optional(),
    reason: z
      .string()
      .meta({ description: 'Why a stale change set was refused.' })
      .optional(),
    operationId: z
      .string()
      .meta({
        description:
          'The operation that executes the approved change set, followed live.',
      })
      .optional(),
  })
  .meta({
    id: 'Approval',
    description:
      "The last approval request of an environment's deploy, with its diff and decision.",
  });

export const approvalDecisionRequestSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'ApprovalDecisionRequest' });

export const approvalDecisionResponseSchema = z
  .object({
    approval: approvalSchema,
    operation: operationSchema.optional(),
  })
  .meta({
    id: 'ApprovalDecisionResponse',
    description:
      'The decided approval and, when approved, the operation executing the change set.',
  });

export type IamStatementChange = z.infer<typeof iamStatementChangeSchema>;
export type ManagedPolicyChange = z.infer<typeof managedPolicyChangeSchema>;
export type SecurityGroupRuleChange = z.infer<
  typeof securityGroupRuleChangeSchema
>;
export type ReplacedResource = z.infer<typeof replacedResourceSchema>;
export type ApprovalDiff = z.infer<typeof approvalDiffSchema>;
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;
export type ApprovalState = z.infer<typeof approvalStateSchema>;
export type Approval = z.infer<typeof approvalSchema>;
/** `POST /environments/{id}/approval` */
export type ApprovalDecisionRequest = z.input<
  typeof approvalDecisionRequestSchema
>;
export type ApprovalDecisionResponse = z.infer<
  typeof approvalDecisionResponseSchema
>;
