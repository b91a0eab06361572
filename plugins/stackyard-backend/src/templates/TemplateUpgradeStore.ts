import { randomUUID } from 'node:crypto';
import type {
  TemplateUpgrade,
  TemplateUpgradeState,
} from '@stackyard/plugin-stackyard-common';
import type { Knex } from 'knex';
import { toDate } from '../database/rows';

const TABLE = 'stackyard_template_upgrades';

type UpgradeRow = {
  id: string;
  template_name: string;
  entity_ref: string;
  from_version: string | null;
  to_version: string;
  state: TemplateUpgradeState;
  progress: string;
  branch: string | null;
  conflicts: string;
  tests_passed: boolean | number | null;
  policy_passed: boolean | number | null;
  pull_request_url: string | null;
  error: string | null;
  actor: string;
  replica_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

/** What an upgrade ended with. */
export type UpgradeOutcome =
  | {
      branch: string;
      conflicts: string[];
      testsPassed?: boolean;
      policyPassed?: boolean;
      pullRequestUrl?: string;
    }
  | { error: string };

const bool = (value: boolean | number | null) =>
  value === null ? undefined : Boolean(value);

function toUpgrade(row: UpgradeRow): TemplateUpgrade {
  return {
    id: row.id,
    templateName: row.template_name,
    entityRef: row.entity_ref,
    fromVersion: row.from_version ?? undefined,
    toVersion: row.to_version,
    state: row.state,
    progress: JSON.parse(row.progress),
    branch: row.branch ?? undefined,
    conflicts: JSON.parse(row.conflicts),
    testsPassed: bool(row.tests_passed),
    policyPassed: bool(row.policy_passed),
    pullRequestUrl: row.pull_request_url ?? undefined,
    error: row.error ?? undefined,
    actor: row.actor,
    createdAt: toDate(row.created_at).toISOString(),
    updatedAt: toDate(row.updated_at).toISOString(),
  };
}

/** What an upgrade whose replica stopped ends with. */
export const INTERRUPTED_ERROR =
  'Interrupted by a backend restart; open the upgrade again';

const ACTIVE = ['queued', 'running'];

/**
 * Template upgrades on Backstage's database (`stackyard_template_upgrades`).
 * Each upgrade records the replica that runs it (in its memory: a queue
 * and the running engine), so that upgrades of a replica that stopped can
 * be told from those still running.
 */
export class TemplateUpgradeStore {
  private readonly db: Knex;
  private readonly now: () => Date;
  private readonly replicaId: string | null;

  constructor(options: {
    db: Knex;
    now?: () => Date;
    /** This backend replica, recorded on the upgrades it starts. */
    replicaId?: string;
  }) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.replicaId = options.replicaId ?? null;
  }

  /**
   * Queues an upgrade of the entity, unless one of it is queued or running
   * already: then that one is returned (`created: false`).
   */
  async start(request: {
    templateName: string;
    entityRef: string;
    fromVersion?: string;
    toVersion: string;
    actor: string;
  }): Promise<{ upgrade: TemplateUpgrade; created: boolean }> {
    return this.db.transaction(async tx => {
      const active = await tx<UpgradeRow>(TABLE)
        .where({
          template_name: request.templateName,
          entity_ref: request.entityRef,
        })
        .whereIn('state', ACTIVE)
        .first();
      if (active) return { upgrade: toUpgrade(active), created: false };
      const now = this.now();
      const row: UpgradeRow = {
        id: randomUUID(),
        template_name: request.templateName,
        entity_ref: request.entityRef,
        from_version: request.fromVersion ?? null,
        to_version: request.toVersion,
        state: 'queued',
        progress: '[]',
        branch: null,
        conflicts: '[]',
        tests_passed: null,
        policy_passed: null,
        pull_request_url: null,
        error: null,
        actor: request.actor,
        replica_id: this.replicaId,
        created_at: now,
        updated_at: now,
      };
      await tx(TABLE).insert(row);
      return { upgrade: toUpgrade(row), created: true };
    });
  }

  async get(id: string): Promise<TemplateUpgrade | undefined> {
    const row = await this.db<UpgradeRow>(TABLE).where({ id }).first();
    return row ? toUpgrade(row) : undefined;
  }

  /** Appends a progress step (and marks the upgrade running). */
  async progress(id: string, step: string): Promise<void> {
    await this.db.transaction(async tx => {
      const row = await tx<UpgradeRow>(TABLE).where({ id }).first('progress');
      if (!row) return;
      const steps: string[] = JSON.parse(row.progress);
      steps.push(step);
      await tx(TABLE)
        .where({ id })
        .update({
          state: 'running',
          progress: JSON.stringify(steps),
          updated_at: this.now(),
        });
    });
  }

  /** Records the outcome: merged, merged with conflicts, or failed. */
  async finish(id: string, outcome: UpgradeOutcome): Promise<void> {
    const update =
      'error' in outcome
        ? { state: 'failed', error: outcome.error }
        : {
            state: outcome.conflicts.length > 0 ? 'conflicts' : 'merged',
            branch: outcome.branch,
            conflicts: JSON.stringify(outcome.conflicts),
            tests_passed: outcome.testsPassed ?? null,
            policy_passed: outcome.policyPassed ?? null,
            pull_request_url: outcome.pullRequestUrl ?? null,
          };
    await this.db(TABLE)
      .where({ id })
      .update({ ...update, updated_at: this.now() });
  }

  /**
   * Marks failed, with {@link INTERRUPTED_ERROR} as their error and last
   * step (their steps so far kept), the queued and running upgrades of
   * replicas not in `liveReplicaIds`, or of none (recorded before replicas
   * were): their replica stopped, and nothing runs them any more. Returns
   * their ids.
   */
  async failInterrupted(liveReplicaIds: readonly string[]): Promise<string[]> {
    const stopped = await this.db<UpgradeRow>(TABLE)
      .whereIn('state', ACTIVE)
      .andWhere(q =>
        q
          .whereNull('replica_id')
          .orWhereNotIn('replica_id', [...liveReplicaIds]),
      )
      .select('id', 'progress');
    const failed: string[] = [];
    for (const row of stopped) {
      const steps: string[] = JSON.parse(row.progress);
      steps.push(INTERRUPTED_ERROR);
      // Only if still active: its replica may have finished it meanwhile.
      const changed = await this.db(TABLE)
        .where({ id: row.id })
        .whereIn('state', ACTIVE)
        .update({
          state: 'failed',
          error: INTERRUPTED_ERROR,
          progress: JSON.stringify(steps),
          updated_at: this.now(),
        });
      if (changed > 0) failed.push(row.id);
    }
    return failed;
  }

  /** The last upgrade of each of the template's entities, newest first. */
  async latestOf(templateName: string): Promise<TemplateUpgrade[]> {
    const rows = await this.db<UpgradeRow>(TABLE)
      .where({ template_name: templateName })
      .orderBy('created_at', 'desc')
      .limit(5000);
    const seen = new Set<string>();
    const latest: TemplateUpgrade[] = [];
    for (const row of rows) {
      if (seen.has(row.entity_ref)) continue;
      seen.add(row.entity_ref);
      latest.push(toUpgrade(row));
    }
    return latest;
  }
}
