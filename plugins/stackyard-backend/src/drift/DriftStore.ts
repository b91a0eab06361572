import type { ResourceDrift } from '@stackyard/plugin-stackyard-common';
import type { Knex } from 'knex';
import { toDate } from '../database/rows';

const ENVIRONMENTS = 'stackyard_environments';
const DRIFT_RESOURCES = 'stackyard_drift_resources';

/** The outcome of asking to start a check. */
export type DriftClaim =
  | { kind: 'claimed' }
  /** A check of this stack is already running (on any replica). */
  | { kind: 'running' }
  /** The account has `running` checks already, the most allowed. */
  | { kind: 'busy'; running: number };

/** The finished result of a check. */
export type DriftResult = {
  drifted: boolean;
  driftedResources: number;
  resources: ResourceDrift[];
};

/**
 * Drift state on Backstage's database: the summary on the environment row
 * (`drift_*` columns) and the per-resource details of the last finished
 * check (`stackyard_drift_resources`). Checks are claimed in the database,
 * so one runs per stack across replicas. The environment store reads the
 * summary into `Environment.drift`.
 */
export class DriftStore {
  constructor(private readonly db: Knex) {}

  /**
   * Marks the environment as being checked, unless a check of it runs
   * already, or `maxPerAccount` checks run in its account. A check started
   * before `staleBefore` counts as abandoned (its replica stopped).
   */
  async claim(options: {
    environmentId: string;
    accountId: string;
    now: Date;
    staleBefore: Date;
    maxPerAccount: number;
  }): Promise<DriftClaim> {
    const { environmentId, accountId, now, staleBefore } = options;
    return this.db.transaction(async tx => {
      const running = await tx(ENVIRONMENTS)
        .where({ account_id: accountId, drift_status: 'checking' })
        .where('drift_checked_at', '>=', staleBefore)
        .whereNot('id', environmentId)
        .count({ n: '*' })
        .first();
      const count = Number(running?.n ?? 0);
      const updated = await tx(ENVIRONMENTS)
        .where({ id: environmentId })
        .where(q =>
          q
            .whereNull('drift_status')
            .orWhereNot('drift_status', 'checking')
            .orWhere('drift_checked_at', '<', staleBefore),
        )
        .modify(q => {
          // The count is this transaction's view: two replicas claiming in
          // the same instant may each pass it, so the limit can be exceeded
          // by one per replica, never more.
          if (count >= options.maxPerAccount) q.whereRaw('1 = 0');
        })
        .update({
          drift_status: 'checking',
          drift_checked_at: now,
          drift_reason: null,
        });
      if (updated > 0) return { kind: 'claimed' };
      const row = await tx(ENVIRONMENTS)
        .where({ id: environmentId })
        .first('drift_status', 'drift_checked_at');
      const ownRunning =
        row?.drift_status === 'checking' &&
        toDate(row.drift_checked_at) >= staleBefore;
      return ownRunning
        ? { kind: 'running' }
        : { kind: 'busy', running: count };
    });
  }

  /** Stores a finished check: the summary and every resource's drift. */
  async finish(
    environmentId: string,
    result: DriftResult,
    checkedAt: Date,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(ENVIRONMENTS)
        .where({ id: environmentId })
        .update({
          drift_status: result.drifted ? 'drifted' : 'in-sync',
          drift_checked_at: checkedAt,
          drifted_resources: result.driftedResources,
          drift_reason: null,
        });
      await tx(DRIFT_RESOURCES)
        .insert({
          environment_id: environmentId,
          items: JSON.stringify(result.resources),
          checked_at: checkedAt,
        })
        .onConflict('environment_id')
        .merge();
    });
  }

  /** Records a check that could not finish; earlier details are kept. */
  async fail(environmentId: string, reason: string, at: Date): Promise<void> {
    await this.db(ENVIRONMENTS)
      .where({ id: environmentId })
      .update({
        drift_status: 'failed',
        drift_checked_at: at,
        drift_reason: reason.slice(0, 2000),
      });
  }

  /** The per-resource details of the last finished check. */
  async resources(
    environmentId: string,
  ): Promise<{ items: ResourceDrift[]; checkedAt: Date } | undefined> {
    const row = await this.db(DRIFT_RESOURCES)
      .where({ environment_id: environmentId })
      .first();
    if (!row) return undefined;
    return { items: JSON.parse(row.items), checkedAt: toDate(row.checked_at) };
  }

  /**
   * Ready environments of a target whose last check is older than
   * `before` (or that were never checked), oldest check first.
   */
  async listDue(
    target: string,
    before: Date,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db(ENVIRONMENTS)
      .where({ target, status: 'ready' })
      .where(q =>
        q
          .whereNull('drift_checked_at')
          .orWhere(w =>
            w
              .where('drift_checked_at', '<', before)
              .whereNot('drift_status', 'checking'),
          ),
      )
      .orderBy([
        { column: 'drift_checked_at', order: 'asc', nulls: 'first' },
        { column: 'id' },
      ])
      .limit(limit)
      .select('id');
    return rows.map(r => r.id as string);
  }
}
