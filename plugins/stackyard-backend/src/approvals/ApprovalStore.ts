import { ConflictError } from '@backstage/errors';
import type {
  Approval,
  ApprovalDiff,
  ApprovalState,
  EnvironmentStatus,
  Operation,
} from '@stackyard/plugin-stackyard-common';
import type { Knex } from 'knex';
import { OperationRow, toDate, toOperation } from '../database/rows';

const APPROVALS = 'stackyard_approvals';
const ENVIRONMENTS = 'stackyard_environments';
const OPERATIONS = 'stackyard_operations';

type ApprovalRow = {
  environment_id: string;
  state: string;
  change_set_name: string;
  change_set_id: string;
  change_set_created_at: Date | string | number;
  diff: string;
  requested_by: string;
  requested_at: Date | string | number;
  decided_by: string | null;
  decided_at: Date | string | number | null;
  comment: string | null;
  reason: string | null;
  operation_id: string | null;
};

function toApproval(row: ApprovalRow): Approval {
  return {
    environmentId: row.environment_id,
    state: row.state as ApprovalState,
    changeSetName: row.change_set_name,
    changeSetId: row.change_set_id,
    changeSetCreatedAt: toDate(row.change_set_created_at).toISOString(),
    diff: JSON.parse(row.diff) as ApprovalDiff,
    requestedBy: row.requested_by,
    requestedAt: toDate(row.requested_at).toISOString(),
    decidedBy: row.decided_by ?? undefined,
    decidedAt: row.decided_at
      ? toDate(row.decided_at).toISOString()
      : undefined,
    comment: row.comment ?? undefined,
    reason: row.reason ?? undefined,
    operationId: row.operation_id ?? undefined,
  };
}

/** A decision that closes an approval without executing anything. */
export type ApprovalClosing = {
  environmentId: string;
  state: 'rejected' | 'stale';
  decidedBy: string;
  comment?: string;
  reason?: string;
  /** The environment's status from here on (its stack's). */
  environmentStatus: EnvironmentStatus;
  statusReason: string;
};

/**
 * The last approval request of each environment, on Backstage's database.
 * Every decision is a conditional update of a `pending` row, so of two
 * approvers deciding at once (on any replica) exactly one wins.
 */
export class ApprovalStore {
  constructor(private readonly db: Knex) {}

  /** Records a deploy stopped for approval, replacing any earlier request. */
  async request(options: {
    environmentId: string;
    changeSetName: string;
    changeSetId: string;
    changeSetCreatedAt: Date;
    diff: ApprovalDiff;
    requestedBy: string;
    now: Date;
  }): Promise<Approval> {
    const row: ApprovalRow = {
      environment_id: options.environmentId,
      state: 'pending',
      change_set_name: options.changeSetName,
      change_set_id: options.changeSetId,
      change_set_created_at: options.changeSetCreatedAt,
      diff: JSON.stringify(options.diff),
      requested_by: options.requestedBy,
      requested_at: options.now,
      decided_by: null,
      decided_at: null,
      comment: null,
      reason: null,
      operation_id: null,
    };
    await this.db(APPROVALS).insert(row).onConflict('environment_id').merge();
    return toApproval(row);
  }

  async get(environmentId: string): Promise<Approval | undefined> {
    const row = await this.db<ApprovalRow>(APPROVALS)
      .where({ environment_id: environmentId })
      .first();
    return row ? toApproval(row) : undefined;
  }

  /**
   * Approves: closes the pending request and starts the `approved-deploy`
   * operation that executes its change set, as the environment's active
   * operation. Throws a ConflictError, changing nothing, when the request
   * was decided meanwhile or another operation runs.
   */
  async approve(options: {
    environmentId: string;
    changeSetId: string;
    decidedBy: string;
    comment?: string;
    operationId: string;
    now: Date;
  }): Promise<{ approval: Approval; operation: Operation }> {
    const { environmentId, operationId, now } = options;
    return this.db.transaction(async tx => {
      const decided = await tx(APPROVALS)
        .where({
          environment_id: environmentId,
          state: 'pending',
          change_set_id: options.changeSetId,
        })
        .update({
          state: 'approved',
          decided_by: options.decidedBy,
          decided_at: now,
          comment: options.comment ?? null,
          operation_id: operationId,
        });
      if (decided !== 1) {
        throw new ConflictError(
          'This approval request was decided meanwhile; reload it',
        );
      }
      const claimed = await tx(ENVIRONMENTS)
        .where({ id: environmentId, status: 'awaiting-approval' })
        .whereNull('active_operation_id')
        .update({
          active_operation_id: operationId,
          status: 'deploying',
          status_reason: `Executing the change set approved by ${options.decidedBy}`,
          updated_at: now,
        });
      if (claimed !== 1) {
        // Rolls the decision back with the transaction.
        throw new ConflictError(
          'The environment no longer waits for approval, or another operation runs on it',
        );
      }
      const op: OperationRow = {
        id: operationId,
        environment_id: environmentId,
        type: 'approved-deploy',
        state: 'running',
        actor: options.decidedBy,
        error: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      await tx(OPERATIONS).insert(op);
      const row = await tx<ApprovalRow>(APPROVALS)
        .where({ environment_id: environmentId })
        .first();
      return { approval: toApproval(row!), operation: toOperation(op) };
    });
  }

  /**
   * Rejects, or refuses as stale: closes the pending request and gives the
   * environment its stack's status back. ConflictError when it was decided
   * meanwhile.
   */
  async close(options: ApprovalClosing & { now: Date }): Promise<Approval> {
    const { environmentId, now } = options;
    return this.db.transaction(async tx => {
      const decided = await tx(APPROVALS)
        .where({ environment_id: environmentId, state: 'pending' })
        .update({
          state: options.state,
          decided_by: options.decidedBy,
          decided_at: now,
          comment: options.comment ?? null,
          reason: options.reason ?? null,
        });
      if (decided !== 1) {
        throw new ConflictError(
          'This approval request was decided meanwhile; reload it',
        );
      }
      await tx(ENVIRONMENTS)
        .where({ id: environmentId, status: 'awaiting-approval' })
        .whereNull('active_operation_id')
        .update({
          status: options.environmentStatus,
          status_reason: options.statusReason,
          updated_at: now,
        });
      const row = await tx<ApprovalRow>(APPROVALS)
        .where({ environment_id: environmentId })
        .first();
      return toApproval(row!);
    });
  }
}
