import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Environment,
  Operation,
  StackEvent,
  StackResource,
  stackNameFor,
} from '@stackyard/plugin-stackyard-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { decodeCursor, encodeCursor } from './cursor';
import {
  EnvironmentFilter,
  EnvironmentStore,
  ObservedEnvironment,
  RegisteredDeployment,
  StoredStackResources,
  TeardownClaim,
} from './EnvironmentStore';
import { migrateDatabase } from './migrateDatabase';
import {
  EnvironmentRow,
  EventRow,
  OperationRow,
  StackResourcesRow,
  countByType,
  protectionReason,
  sortResources,
  toDate,
  toEnvironment,
  toOperation,
  toStackEvent,
} from './rows';

const ENVIRONMENTS = 'stackyard_environments';
const OPERATIONS = 'stackyard_operations';
const EVENTS = 'stackyard_events';
const SOCKET_APIS = 'stackyard_socket_apis';
const STACK_RESOURCES = 'stackyard_stack_resources';
const CHUNK = 500;

const TERMINAL = new Set(['succeeded', 'failed']);

/** {@link EnvironmentStore} on Backstage's database (SQLite or PostgreSQL). */
export class DatabaseEnvironmentStore implements EnvironmentStore {
  static async create(options: {
    database: DatabaseService;
    protectedStages: readonly string[];
    eventRetention: number;
  }): Promise<DatabaseEnvironmentStore> {
    const client = await options.database.getClient();
    await migrateDatabase(options.database, client);
    return new DatabaseEnvironmentStore(
      client,
      options.protectedStages,
      options.eventRetention,
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly protectedStages: readonly string[],
    private readonly eventRetention: number,
  ) {}

  private env(row: EnvironmentRow): Environment {
    return toEnvironment(row, this.protectedStages);
  }

  async registerDeployment(
    options: Parameters<EnvironmentStore['registerDeployment']>[0],
  ): Promise<RegisteredDeployment> {
    const { request, target, actor } = options;
    const now = new Date();
    const entityRef = request.entityRef.toLocaleLowerCase('en-US');
    assertDerivedStackName(request);
    return this.db.transaction(async tx => {
      const existing = await tx<EnvironmentRow>(ENVIRONMENTS)
        .where({ target: target.name, stack_name: request.stackName })
        .first();
      if (existing && existing.entity_ref !== entityRef) {
        throw new ConflictError(
          `Stack "${request.stackName}" on target "${target.name}" belongs to ${existing.entity_ref}, not ${entityRef}`,
        );
      }
      const active = existing?.active_operation_id
        ? await tx<OperationRow>(OPERATIONS)
            .where({ id: existing.active_operation_id })
            .first()
        : undefined;
      if (active?.type === 'teardown') {
        throw new ConflictError(
          `Stack "${request.stackName}" is being torn down (operation ${active.id}); register the deployment after it finishes`,
        );
      }

      if (existing) this.assertKeepsProtection(existing, request);

      const finished = request.status !== 'deploying';
      const operationStates = {
        deploying: 'running',
        // The deploy's part is done: its change set waits for an approver,
        // whose decision is an operation of its own.
        'awaiting-approval': 'succeeded',
        ready: 'succeeded',
        failed: 'failed',
      } as const;
      const operationState = operationStates[request.status];
      const reusing = active?.type === 'deploy' ? active : undefined;
      const operationId = reusing?.id ?? randomUUID();
      const environmentId = existing?.id ?? randomUUID();

      const fields = {
        prefix: request.prefix,
        stage: request.stage,
        stack_id: request.stackId ?? existing?.stack_id ?? null,
        status: request.status,
        stack_status: null,
        status_reason: request.statusReason ?? null,
        // Fields a deployment leaves out keep their stored value.
        outputs: request.outputs
          ? JSON.stringify(request.outputs)
          : existing?.outputs ?? '{}',
        resources: JSON.stringify(
          request.resources ??
            (request.stackResources
              ? countByType(request.stackResources)
              : JSON.parse(existing?.resources ?? '{}')),
        ),
        template_name: request.templateName ?? existing?.template_name ?? null,
        template_version:
          request.templateVersion ?? existing?.template_version ?? null,
        branch: request.branch ?? existing?.branch ?? null,
        commit: request.commit ?? existing?.commit ?? null,
        cost_center: request.costCenter ?? existing?.cost_center ?? null,
        protected: request.protected ?? Boolean(existing?.protected),
        updated_at: now,
        expires_at: request.expiresAt
          ? new Date(request.expiresAt)
          : existing?.expires_at ?? null,
        active_operation_id: finished ? null : operationId,
      };
      if (existing) {
        await tx(ENVIRONMENTS).where({ id: existing.id }).update(fields);
      } else {
        await tx(ENVIRONMENTS).insert({
          ...fields,
          id: environmentId,
          entity_ref: entityRef,
          target: target.name,
          target_type: target.type,
          account_id: target.type === 'aws' ? target.accountId : null,
          region: target.type === 'aws' ? target.region : null,
          stack_name: request.stackName,
          alarms: '[]',
          termination_protection: false,
          created_by: actor,
          created_at: now,
        });
      }

      const operationFields = {
        state: operationState,
        error:
          request.status === 'failed' ? request.statusReason ?? null : null,
        updated_at: now,
        finished_at: finished ? now : null,
      };
      if (reusing) {
        await tx(OPERATIONS).where({ id: reusing.id }).update(operationFields);
      } else {
        await tx(OPERATIONS).insert({
          ...operationFields,
          id: operationId,
          environment_id: environmentId,
          type: 'deploy',
          actor,
          created_at: now,
        });
      }
      if (request.websocket) {
        await tx(SOCKET_APIS)
          .insert({
            environment_id: environmentId,
            definition: JSON.stringify(request.websocket),
            connection_key_hash: null,
            updated_at: now,
          })
          .onConflict('environment_id')
          .merge(['definition', 'updated_at']);
      }
      if (request.stackResources) {
        await this.writeStackResources(tx, environmentId, {
          source: 'synthesized',
          items: request.stackResources,
          fetchedAt: now,
        });
      }
      const row = await tx<EnvironmentRow>(ENVIRONMENTS)
        .where({ id: environmentId })
        .first();
      const op = await tx<OperationRow>(OPERATIONS)
        .where({ id: operationId })
        .first();
      return {
        environment: this.env(row!),
        operation: toOperation(op!),
        created: !existing,
      };
    });
  }

  /**
   * A registration never takes an environment out of protection: not by
   * naming its stack with another stage, nor by registering it unprotected.
   */
  private assertKeepsProtection(
    existing: EnvironmentRow,
    request: { stackName: string; stage: string; protected?: boolean },
  ): void {
    if (existing.stage !== request.stage) {
      throw new ConflictError(
        `Stack "${request.stackName}" is registered with stage "${existing.stage}", not "${request.stage}"; a stack's stage never changes`,
      );
    }
    const before = protectionReason(existing, this.protectedStages);
    const after = protectionReason(
      {
        ...existing,
        stage: request.stage,
        protected: request.protected ?? Boolean(existing.protected),
      },
      this.protectedStages,
    );
    if (before && !after) {
      throw new ConflictError(
        `Environment "${request.stackName}" is protected (${before}); a registration cannot remove its protection`,
      );
    }
  }

  async getEnvironment(id: string): Promise<Environment | undefined> {
    const row = await this.db<EnvironmentRow>(ENVIRONMENTS)
      .where({ id })
      .first();
    return row ? this.env(row) : undefined;
  }

  async listEnvironments(
    filter: EnvironmentFilter,
  ): Promise<{ items: Environment[]; nextCursor?: string }> {
    const query = this.db<EnvironmentRow>(ENVIRONMENTS)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit + 1);
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    if (filter.status) query.where('status', filter.status);
    if (filter.target) query.where('target', filter.target);
    if (filter.stage) query.where('stage', filter.stage);
    if (filter.templateName) query.where('template_name', filter.templateName);
    if (filter.costCenter) query.where('cost_center', filter.costCenter);
    if (filter.expiringWithinHours !== undefined) {
      const until = new Date(
        Date.now() + filter.expiringWithinHours * 3600_000,
      );
      query
        .whereNotNull('expires_at')
        .where('expires_at', '<=', until)
        .whereNot('status', 'deleted');
    }
    if (filter.entityMissing !== undefined) {
      if (filter.entityMissing) query.whereNotNull('entity_missing_since');
      else query.whereNull('entity_missing_since');
    }
    if (filter.drifted !== undefined) {
      if (filter.drifted) query.where('drift_status', 'drifted');
      else {
        query.where(q =>
          q.whereNull('drift_status').orWhereNot('drift_status', 'drifted'),
        );
      }
    }
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      const after = new Date(cursor.createdAt);
      query.where(q =>
        q
          .where('created_at', '>', after)
          .orWhere(q2 =>
            q2.where('created_at', '=', after).andWhere('id', '>', cursor.id),
          ),
      );
    }
    const rows = await query;
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(r => this.env(r)),
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor({
              createdAt: toDate(last.created_at).getTime(),
              id: last.id,
            })
          : undefined,
    };
  }

  async listTrackedAwsEnvironments(): Promise<Environment[]> {
    const rows = await this.db<EnvironmentRow>(ENVIRONMENTS)
      .where('target_type', 'aws')
      .whereNot('status', 'deleted')
      .orderBy('id');
    return rows.map(r => this.env(r));
  }

  async listEntityRefsInUse(): Promise<string[]> {
    const rows = await this.db(ENVIRONMENTS)
      .distinct('entity_ref')
      .whereNot('status', 'deleted')
      .orderBy('entity_ref');
    return rows.map(r => r.entity_ref as string);
  }

  async markMissingEntities(
    missing: string[],
    since: Date,
  ): Promise<Environment[]> {
    const missingSet = new Set(missing);
    const flag: string[] = [];
    for (let i = 0; i < missing.length; i += CHUNK) {
      const rows = await this.db<EnvironmentRow>(ENVIRONMENTS)
        .select('id')
        .whereIn('entity_ref', missing.slice(i, i + CHUNK))
        .whereNull('entity_missing_since')
        .whereNot('status', 'deleted');
      flag.push(...rows.map(r => r.id));
    }
    // Few rows are flagged at any time: read them all, clear the returned.
    // Deleted environments were not asked about and keep their last flag.
    const flagged = await this.db<EnvironmentRow>(ENVIRONMENTS)
      .select('id', 'entity_ref')
      .whereNotNull('entity_missing_since')
      .whereNot('status', 'deleted');
    const clear = flagged
      .filter(r => !missingSet.has(r.entity_ref))
      .map(r => r.id);
    const now = new Date();
    for (const [ids, value] of [
      [flag, since],
      [clear, null],
    ] as const) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        await this.db(ENVIRONMENTS)
          .whereIn('id', ids.slice(i, i + CHUNK))
          .update({ entity_missing_since: value, updated_at: now });
      }
    }
    return this.environmentsById([...flag, ...clear]);
  }

  private async environmentsById(ids: string[]): Promise<Environment[]> {
    const result: Environment[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db<EnvironmentRow>(ENVIRONMENTS).whereIn(
        'id',
        ids.slice(i, i + CHUNK),
      );
      result.push(...rows.map(r => this.env(r)));
    }
    return result;
  }

  async listExpired(now: Date): Promise<Environment[]> {
    const rows = await this.db<EnvironmentRow>(ENVIRONMENTS)
      .whereNotNull('expires_at')
      .where('expires_at', '<', now)
      .whereNot('status', 'deleted')
      .whereNull('active_operation_id');
    return rows.map(r => this.env(r)).filter(e => !e.protected);
  }

  async extendExpiry(id: string, expiresAt: Date): Promise<Environment> {
    const environment = await this.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    if (!environment.expiresAt) {
      throw new ConflictError(
        `Environment "${environment.stackName}" is not a preview: it has no expiry to extend`,
      );
    }
    if (environment.status === 'deleted' || environment.status === 'deleting') {
      throw new ConflictError(
        `Environment "${environment.stackName}" is ${environment.status}; its expiry can no longer be extended`,
      );
    }
    await this.db(ENVIRONMENTS)
      .where({ id })
      .update({ expires_at: expiresAt, updated_at: new Date() });
    return (await this.getEnvironment(id))!;
  }

  async claimTeardown(options: {
    environmentId: string;
    operationId: string;
    actor: string;
  }): Promise<TeardownClaim> {
    const { environmentId, operationId, actor } = options;
    return this.db.transaction(async tx => {
      const now = new Date();
      const claimed = await tx(ENVIRONMENTS)
        .where({ id: environmentId })
        .whereNull('active_operation_id')
        .whereNot('status', 'deleted')
        .update({
          active_operation_id: operationId,
          status: 'deleting',
          status_reason: null,
          updated_at: now,
        });
      if (claimed === 1) {
        await tx(OPERATIONS).insert({
          id: operationId,
          environment_id: environmentId,
          type: 'teardown',
          state: 'pending',
          actor,
          error: null,
          created_at: now,
          updated_at: now,
          finished_at: null,
        });
      }
      const row = await tx<EnvironmentRow>(ENVIRONMENTS)
        .where({ id: environmentId })
        .first();
      if (!row) {
        throw new NotFoundError(`No environment with id "${environmentId}"`);
      }
      const environment = this.env(row);
      if (!row.active_operation_id) {
        return { kind: 'gone', environment };
      }
      const op = await tx<OperationRow>(OPERATIONS)
        .where({ id: row.active_operation_id })
        .first();
      const operation = toOperation(op!);
      if (claimed === 1) return { kind: 'claimed', environment, operation };
      if (operation.type === 'teardown') {
        return { kind: 'running', environment, operation };
      }
      return { kind: 'busy', environment, operation };
    });
  }

  async updateOperation(
    id: string,
    update: Parameters<EnvironmentStore['updateOperation']>[1],
  ): Promise<Operation> {
    return this.db.transaction(async tx => {
      const now = new Date();
      const op = await tx<OperationRow>(OPERATIONS).where({ id }).first();
      if (!op) {
        throw new NotFoundError(`No operation with id "${id}"`);
      }
      const finished = TERMINAL.has(update.state);
      await tx(OPERATIONS)
        .where({ id })
        .update({
          state: update.state,
          error: update.error ?? null,
          updated_at: now,
          finished_at: finished ? now : null,
        });
      const envFields: Record<string, unknown> = { updated_at: now };
      if (update.environmentStatus) {
        envFields.status = update.environmentStatus;
        envFields.status_reason = update.statusReason ?? null;
      }
      if (finished) {
        await tx(ENVIRONMENTS)
          .where({ id: op.environment_id, active_operation_id: id })
          .update({ ...envFields, active_operation_id: null });
      } else if (update.environmentStatus) {
        await tx(ENVIRONMENTS)
          .where({ id: op.environment_id })
          .update(envFields);
      }
      const row = await tx<OperationRow>(OPERATIONS).where({ id }).first();
      return toOperation(row!);
    });
  }

  async getOperation(id: string): Promise<Operation | undefined> {
    const row = await this.db<OperationRow>(OPERATIONS).where({ id }).first();
    return row ? toOperation(row) : undefined;
  }

  async listOperations(
    environmentId: string,
    limit: number,
  ): Promise<Operation[]> {
    const rows = await this.db<OperationRow>(OPERATIONS)
      .where({ environment_id: environmentId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toOperation);
  }

  async listUnfinishedOperations(before: Date): Promise<Operation[]> {
    const rows = await this.db<OperationRow>(OPERATIONS)
      .whereIn('state', ['pending', 'running'])
      .where('updated_at', '<', before)
      .orderBy('created_at');
    return rows.map(toOperation);
  }

  async applyObservations(
    observations: ObservedEnvironment[],
    reconciledAt: Date,
  ): Promise<Environment[]> {
    const changed: string[] = [];
    for (let i = 0; i < observations.length; i += CHUNK) {
      const chunk = observations.slice(i, i + CHUNK);
      await this.db.transaction(async tx => {
        const rows = await tx<EnvironmentRow>(ENVIRONMENTS).whereIn(
          'id',
          chunk.map(o => o.id),
        );
        const byId = new Map(rows.map(r => [r.id, r]));
        for (const observed of chunk) {
          const row = byId.get(observed.id);
          if (!row) continue;
          const fields = this.changedFields(row, observed, reconciledAt);
          if (Object.keys(fields).length > 0) {
            await tx(ENVIRONMENTS)
              .where({ id: row.id })
              .update({ ...fields, updated_at: new Date() });
            changed.push(row.id);
          }
        }
        await tx(ENVIRONMENTS)
          .whereIn(
            'id',
            chunk.map(o => o.id),
          )
          .update({ reconciled_at: reconciledAt });
      });
    }
    const result: Environment[] = [];
    for (let i = 0; i < changed.length; i += CHUNK) {
      const rows = await this.db<EnvironmentRow>(ENVIRONMENTS).whereIn(
        'id',
        changed.slice(i, i + CHUNK),
      );
      result.push(...rows.map(r => this.env(r)));
    }
    return result;
  }

  /**
   * The columns to update from an observation. Alarms always follow AWS; the
   * status only when no operation runs and the row was not written after
   * the observation started (a deploy registered mid-cycle wins).
   */
  private changedFields(
    row: EnvironmentRow,
    observed: ObservedEnvironment,
    reconciledAt: Date,
  ): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const alarms = JSON.stringify(observed.alarms);
    if (alarms !== row.alarms) fields.alarms = alarms;
    const statusMayChange =
      !row.active_operation_id &&
      toDate(row.updated_at).getTime() <= reconciledAt.getTime();
    if (!statusMayChange) return fields;
    // A change set waiting for review leaves the stack as it was (or in
    // review): that is no news about the environment.
    const awaiting =
      row.status === 'awaiting-approval' &&
      (observed.status === 'ready' ||
        observed.stackStatus === 'REVIEW_IN_PROGRESS');
    const candidates: Record<string, unknown> = {
      status: awaiting ? row.status : observed.status,
      stack_status: observed.stackStatus ?? null,
      status_reason: awaiting
        ? row.status_reason
        : observed.statusReason ?? null,
    };
    if (observed.stackId !== undefined) candidates.stack_id = observed.stackId;
    if (observed.outputs !== undefined) {
      candidates.outputs = JSON.stringify(observed.outputs);
    }
    if (observed.terminationProtection !== undefined) {
      candidates.termination_protection = observed.terminationProtection;
    }
    if (observed.costCenter !== undefined) {
      candidates.cost_center = observed.costCenter;
    }
    for (const [key, value] of Object.entries(candidates)) {
      const current = (row as Record<string, unknown>)[key];
      const same =
        typeof value === 'boolean'
          ? Boolean(current) === value
          : (current ?? null) === value;
      if (!same) fields[key] = value;
    }
    return fields;
  }

  async addEvents(
    environmentId: string,
    operationId: string | undefined,
    events: StackEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    const rows: EventRow[] = events.map(e => ({
      environment_id: environmentId,
      operation_id: operationId ?? null,
      event_id: e.eventId,
      timestamp: new Date(e.timestamp),
      logical_resource_id: e.logicalResourceId ?? null,
      resource_type: e.resourceType ?? null,
      resource_status: e.resourceStatus ?? null,
      status_reason: e.statusReason ?? null,
    }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.db(EVENTS)
        .insert(rows.slice(i, i + CHUNK))
        .onConflict(['environment_id', 'event_id'])
        .ignore();
    }
    const keep = this.db(EVENTS)
      .select('seq')
      .where({ environment_id: environmentId })
      .orderBy([
        { column: 'timestamp', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(this.eventRetention);
    await this.db(EVENTS)
      .where({ environment_id: environmentId })
      .whereNotIn('seq', keep)
      .delete();
  }

  async listEvents(
    environmentId: string,
    limit: number,
  ): Promise<StackEvent[]> {
    const rows = await this.db<EventRow>(EVENTS)
      .where({ environment_id: environmentId })
      .orderBy([
        { column: 'timestamp', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toStackEvent);
  }

  async getStackResources(
    environmentId: string,
  ): Promise<StoredStackResources | undefined> {
    const row = await this.db<StackResourcesRow>(STACK_RESOURCES)
      .where({ environment_id: environmentId })
      .first();
    if (!row) return undefined;
    return {
      source: row.source as StoredStackResources['source'],
      items: JSON.parse(row.items) as StackResource[],
      fetchedAt: toDate(row.fetched_at),
    };
  }

  async putStackResources(
    environmentId: string,
    resources: StoredStackResources,
  ): Promise<void> {
    await this.writeStackResources(this.db, environmentId, resources);
  }

  private async writeStackResources(
    db: Knex,
    environmentId: string,
    resources: StoredStackResources,
  ): Promise<void> {
    const row: StackResourcesRow = {
      environment_id: environmentId,
      source: resources.source,
      items: JSON.stringify(sortResources(resources.items)),
      fetched_at: resources.fetchedAt,
    };
    await db(STACK_RESOURCES)
      .insert(row)
      .onConflict('environment_id')
      .merge(['source', 'items', 'fetched_at']);
  }
}

/** Stack names are derived, `<prefix>-<stage>`, never chosen. */
function assertDerivedStackName(request: {
  prefix: string;
  stage: string;
  stackName: string;
}): void {
  let expected: string;
  try {
    expected = stackNameFor(request.prefix, request.stage);
  } catch (error) {
    throw new InputError(`Invalid deployment: ${(error as Error).message}`);
  }
  if (request.stackName !== expected) {
    throw new InputError(
      `Invalid deployment: stack name "${request.stackName}" must be "<prefix>-<stage>", i.e. "${expected}"`,
    );
  }
}
