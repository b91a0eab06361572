import type {
  Environment,
  EnvironmentAlarm,
  EnvironmentDrift,
  EnvironmentStatus,
  Operation,
  OperationState,
  OperationType,
  StackEvent,
  StackResource,
  TargetType,
} from '@stackyard/plugin-stackyard-common';
import { isProtectedStage } from '@stackyard/plugin-stackyard-node';

/** A row of `stackyard_environments`. */
export type EnvironmentRow = {
  id: string;
  entity_ref: string;
  target: string;
  target_type: string;
  account_id: string | null;
  region: string | null;
  prefix: string;
  stage: string;
  stack_name: string;
  stack_id: string | null;
  status: string;
  stack_status: string | null;
  status_reason: string | null;
  outputs: string;
  resources: string;
  alarms: string;
  template_name: string | null;
  template_version: string | null;
  branch: string | null;
  commit: string | null;
  cost_center?: string | null;
  entity_missing_since?: Date | string | number | null;
  protected: boolean | number;
  termination_protection: boolean | number;
  created_by: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  expires_at: Date | string | number | null;
  reconciled_at: Date | string | number | null;
  active_operation_id: string | null;
  drift_status?: string | null;
  drift_checked_at?: Date | string | number | null;
  drifted_resources?: number | string | null;
  drift_reason?: string | null;
};

/** A row of `stackyard_operations`. */
export type OperationRow = {
  id: string;
  environment_id: string;
  type: string;
  state: string;
  actor: string;
  error: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  finished_at: Date | string | number | null;
};

/** A row of `stackyard_events`. */
export type EventRow = {
  seq?: number | string;
  environment_id: string;
  operation_id: string | null;
  event_id: string;
  timestamp: Date | string | number;
  logical_resource_id: string | null;
  resource_type: string | null;
  resource_status: string | null;
  status_reason: string | null;
};

/** A row of `stackyard_stack_resources`. */
export type StackResourcesRow = {
  environment_id: string;
  source: string;
  /** JSON array of {@link StackResource}. */
  items: string;
  fetched_at: Date | string | number;
};

/** Resources sorted by type, then logical id, as the API lists them. */
export function sortResources<
  T extends Pick<StackResource, 'type' | 'logicalId'>,
>(resources: readonly T[]): T[] {
  return [...resources].sort(
    (a, b) =>
      a.type.localeCompare(b.type, 'en') ||
      a.logicalId.localeCompare(b.logicalId, 'en'),
  );
}

/** Resource counts by type, as `Environment.resources` holds them. */
export function countByType(
  resources: readonly Pick<StackResource, 'type'>[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of resources) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Drivers return timestamps as Date, number or string; this reads all three. */
export function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

const iso = (value: Date | string | number | null) =>
  value === null ? undefined : toDate(value).toISOString();

const opt = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;

/** Why teardown of this row is refused, if it is. */
export function protectionReason(
  row: Pick<EnvironmentRow, 'protected' | 'termination_protection' | 'stage'>,
  protectedStages: readonly string[],
): string | undefined {
  if (isProtectedStage({ protectedStages }, row.stage)) {
    return `stage "${row.stage}" is a protected stage`;
  }
  if (Boolean(row.termination_protection)) {
    return 'the stack has termination protection enabled';
  }
  if (Boolean(row.protected)) {
    return 'the environment was registered as protected';
  }
  return undefined;
}

export function toEnvironment(
  row: EnvironmentRow,
  protectedStages: readonly string[],
): Environment {
  const reason = protectionReason(row, protectedStages);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    target: row.target,
    targetType: row.target_type as TargetType,
    accountId: opt(row.account_id),
    region: opt(row.region),
    prefix: row.prefix,
    stage: row.stage,
    stackName: row.stack_name,
    stackId: opt(row.stack_id),
    status: row.status as EnvironmentStatus,
    stackStatus: opt(row.stack_status),
    statusReason: opt(row.status_reason),
    outputs: JSON.parse(row.outputs),
    resources: JSON.parse(row.resources),
    alarms: JSON.parse(row.alarms) as EnvironmentAlarm[],
    templateName: opt(row.template_name),
    templateVersion: opt(row.template_version),
    branch: opt(row.branch),
    commit: opt(row.commit),
    protected: reason !== undefined,
    protectionReason: reason,
    costCenter: opt(row.cost_center ?? null),
    entityMissingSince: iso(row.entity_missing_since ?? null),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at).toISOString(),
    updatedAt: toDate(row.updated_at).toISOString(),
    expiresAt: iso(row.expires_at),
    reconciledAt: iso(row.reconciled_at),
    activeOperationId: opt(row.active_operation_id),
    drift: toDrift(row),
  };
}

/** The drift summary of a row; undefined when never checked. */
function toDrift(row: EnvironmentRow): EnvironmentDrift | undefined {
  if (!row.drift_status) return undefined;
  const drifted = row.drifted_resources;
  return {
    status: row.drift_status as EnvironmentDrift['status'],
    checkedAt: iso(row.drift_checked_at ?? null),
    driftedResources:
      drifted === null || drifted === undefined ? undefined : Number(drifted),
    reason: opt(row.drift_reason ?? null),
  };
}

export function toOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    environmentId: row.environment_id,
    type: row.type as OperationType,
    state: row.state as OperationState,
    actor: row.actor,
    error: opt(row.error),
    createdAt: toDate(row.created_at).toISOString(),
    updatedAt: toDate(row.updated_at).toISOString(),
    finishedAt: iso(row.finished_at),
  };
}

export function toStackEvent(row: EventRow): StackEvent {
  return {
    eventId: row.event_id,
    operationId: opt(row.operation_id),
    timestamp: toDate(row.timestamp).toISOString(),
    logicalResourceId: opt(row.logical_resource_id),
    resourceType: opt(row.resource_type),
    resourceStatus: opt(row.resource_status),
    statusReason: opt(row.status_reason),
  };
}
