import {
  DEFAULT_TTL_TAG_VALUE,
  STACKYARD_TAG_KEYS,
  registerDeploymentRequestSchema,
} from '@stackyard/plugin-stackyard-common';
import type { StackSummary } from '../aws/CloudFormationStacks';

/** The tag of the cost center every ServiceStack carries. */
export const COST_CENTER_TAG = 'CostCenter';

/** The stack's `CostCenter` tag, when it has a usable one. */
export function costCenterOf(stack: Pick<StackSummary, 'tags'>) {
  const value = stack.tags[COST_CENTER_TAG]?.trim();
  return value ? value.slice(0, 256) : undefined;
}

/** What a stack's Stackyard tags say about the environment it is. */
export type DiscoveredStack = {
  entityRef: string;
  prefix: string;
  stage: string;
  branch?: string;
  commit?: string;
  costCenter?: string;
  /** Set for ephemeral stages (a `stackyard:ttl-hours` tag). */
  expiresAt?: Date;
};

/** How a stack's tags were read. */
export type DiscoveryVerdict =
  | { kind: 'untagged' }
  | { kind: 'adoptable'; stack: DiscoveredStack }
  | { kind: 'orphan'; reason: string };

/**
 * Reads the Stackyard tags of a stack that has no row. Untagged stacks
 * are none of Stackyard's business; a stack whose tags do not parse or
 * disagree with its name is not adopted (an orphan candidate), since the
 * entity it names cannot be trusted to own it.
 */
export function readDiscoveryTags(
  stack: StackSummary,
  defaultTtlHours: number,
): DiscoveryVerdict {
  const tags = stack.tags;
  const entityRef = tags[STACKYARD_TAG_KEYS.entityRef];
  if (entityRef === undefined) return { kind: 'untagged' };
  const prefix = tags[STACKYARD_TAG_KEYS.prefix];
  const stage = tags[STACKYARD_TAG_KEYS.stage];
  if (!prefix || !stage) {
    return {
      kind: 'orphan',
      reason: `it has no ${STACKYARD_TAG_KEYS.prefix} or ${STACKYARD_TAG_KEYS.stage} tag`,
    };
  }
  // Compared as text: stackNameFor would throw on an invalid prefix or stage,
  // failing the whole account/region; the schema below reports those.
  if (`${prefix}-${stage}` !== stack.stackName) {
    return {
      kind: 'orphan',
      reason: `its tags say prefix "${prefix}" and stage "${stage}", which name "${prefix}-${stage}", not "${stack.stackName}"`,
    };
  }
  // The registration schema is the one definition of a valid entity ref,
  // prefix and stage.
  const parsed = registerDeploymentRequestSchema.safeParse({
    entityRef,
    target: 'discovery',
    prefix,
    stage,
    stackName: stack.stackName,
    status: 'ready',
  });
  if (!parsed.success) {
    return {
      kind: 'orphan',
      reason: `its tags are not valid: ${parsed.error.issues
        .map(i => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    };
  }
  const ttl = tags[STACKYARD_TAG_KEYS.ttlHours];
  let expiresAt: Date | undefined;
  if (ttl !== undefined) {
    const hours = ttl === DEFAULT_TTL_TAG_VALUE ? defaultTtlHours : Number(ttl);
    if (!(hours > 0) || !Number.isFinite(hours)) {
      return {
        kind: 'orphan',
        reason: `its ${STACKYARD_TAG_KEYS.ttlHours} tag "${ttl}" is not a positive number of hours`,
      };
    }
    const created = stack.creationTime ?? new Date();
    expiresAt = new Date(created.getTime() + hours * 3_600_000);
  }
  return {
    kind: 'adoptable',
    stack: {
      entityRef: parsed.data.entityRef,
      prefix,
      stage,
      branch: tags[STACKYARD_TAG_KEYS.branch] || undefined,
      commit: tags[STACKYARD_TAG_KEYS.commit] || undefined,
      costCenter: costCenterOf(stack),
      expiresAt,
    },
  };
}
