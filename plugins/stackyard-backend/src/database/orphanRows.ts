import type { Orphan, OrphanKind } from '@stackyard/plugin-stackyard-common';
import { isProtectedStage } from '@stackyard/plugin-stackyard-node';
import { toDate } from './rows';

/** A row of `stackyard_orphan_stacks`. */
export type OrphanRow = {
  id: string;
  kind: string;
  target: string;
  account_id: string | null;
  region: string | null;
  stack_name: string;
  stack_id: string | null;
  stack_status: string | null;
  reason: string;
  entity_ref: string | null;
  environment_id: string | null;
  stage: string | null;
  termination_protection: boolean | number;
  protected: boolean | number;
  protection_reason: string | null;
  first_seen_at: Date | string | number;
  seen_at: Date | string | number;
};

const opt = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;

export function toOrphan(row: OrphanRow): Orphan {
  return {
    id: row.id,
    kind: row.kind as OrphanKind,
    target: row.target,
    accountId: opt(row.account_id),
    region: opt(row.region),
    stackName: row.stack_name,
    stackId: opt(row.stack_id),
    stackStatus: opt(row.stack_status),
    reason: row.reason,
    entityRef: opt(row.entity_ref),
    environmentId: opt(row.environment_id),
    protected: Boolean(row.protected),
    protectionReason: opt(row.protection_reason),
    firstSeenAt: toDate(row.first_seen_at).toISOString(),
  };
}

/**
 * The stage a stack whose tags cannot be trusted is judged by: its
 * `stackyard:stage` tag, else the last `-` part of its name (stack names
 * are `<prefix>-<stage>`).
 */
export function orphanStageOf(
  stackName: string,
  stageTag: string | undefined,
): string {
  if (stageTag) return stageTag;
  const dash = stackName.lastIndexOf('-');
  return dash >= 0 ? stackName.slice(dash + 1) : stackName;
}

/**
 * Why teardown of a stack with untrusted tags is refused, if it is: its
 * tagged stage, or the stage its name ends with, is protected (either may
 * be the truth), or it has termination protection.
 */
export function orphanProtectionReason(
  stack: {
    stackName: string;
    stageTag?: string;
    terminationProtection: boolean;
  },
  protectedStages: readonly string[],
): string | undefined {
  const candidates = new Set([
    orphanStageOf(stack.stackName, stack.stageTag),
    orphanStageOf(stack.stackName, undefined),
  ]);
  for (const stage of candidates) {
    if (isProtectedStage({ protectedStages }, stage)) {
      return `stage "${stage}" is a protected stage`;
    }
  }
  if (stack.terminationProtection) {
    return 'the stack has termination protection enabled';
  }
  return undefined;
}
