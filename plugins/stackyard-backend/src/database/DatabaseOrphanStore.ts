import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Orphan } from '@stackyard/plugin-stackyard-common';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { environmentStatusOf } from '../reconciler/stackStatus';
import { decodeCursor, encodeCursor } from './cursor';
import {
  OrphanRow,
  orphanProtectionReason,
  orphanStageOf,
  toOrphan,
} from './orphanRows';
import type { OrphanFilter, OrphanStore } from './OrphanStore';
import { EnvironmentRow, toDate, toEnvironment } from './rows';

const ORPHANS = 'stackyard_orphan_stacks';
const ENVIRONMENTS = 'stackyard_environments';
const CHUNK = 200;

/**
 * The entity ref of an environment created to tear down an orphan stack:
 * its tags are not trusted to name its owner (that is why it is an orphan),
 * so its teardown is attributed to no entity.
 */
export const ORPHAN_ENTITY_REF = 'stackyard:orphan';

/** Columns an upsert refreshes (id and first_seen_at stay). */
const REFRESHED = [
  'kind',
  'account_id',
  'region',
  'stack_id',
  'stack_status',
  'reason',
  'entity_ref',
  'environment_id',
  'stage',
  'termination_protection',
  'protected',
  'protection_reason',
  'seen_at',
];

/** {@link OrphanStore} on Backstage's database (SQLite or PostgreSQL). */
export class DatabaseOrphanStore implements OrphanStore {
  /** Expects the plugin's migrations applied (DatabaseEnvironmentStore.create). */
  static create(options: {
    knex: Knex;
    protectedStages: readonly string[];
  }): DatabaseOrphanStore {
    return new DatabaseOrphanStore(options.knex, options.protectedStages);
  }

  private constructor(
    private readonly db: Knex,
    private readonly protectedStages: readonly string[],
  ) {}

  async recordUnreadable(
    options: Parameters<OrphanStore['recordUnreadable']>[0],
  ): Promise<void> {
    const { target, targetNames, sightings, now } = options;
    const rows = sightings.map(s => {
      const reason = orphanProtectionReason(s, this.protectedStages);
      return {
        id: randomUUID(),
        kind: 'unreadable-tags',
        target: target.name,
        account_id: target.accountId,
        region: target.region,
        stack_name: s.stackName,
        stack_id: s.stackId ?? null,
        stack_status: s.stackStatus ?? null,
        reason: s.reason,
        entity_ref: s.entityRef ?? null,
        environment_id: null,
        stage: orphanStageOf(s.stackName, s.stageTag).slice(0, 128),
        termination_protection: s.terminationProtection,
        protected: reason !== undefined,
        protection_reason: reason ?? null,
        first_seen_at: now,
        seen_at: now,
      };
    });
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(ORPHANS)
          .insert(rows.slice(i, i + CHUNK))
          .onConflict(['target', 'stack_name'])
          .merge(REFRESHED);
      }
      // Stacks gone from DescribeStacks (or now tracked) are no longer
      // orphans; one whose teardown an environment follows stays until
      // that environment is deleted.
      const seen = new Set(sightings.map(s => s.stackName));
      const existing = await tx<OrphanRow>(ORPHANS)
        .select('id', 'stack_name', 'environment_id', 'target')
        .where('kind', 'unreadable-tags')
        .whereIn('target', targetNames);
      const linked = await this.liveEnvironmentIds(
        tx,
        existing.map(r => r.environment_id).filter((id): id is string => !!id),
      );
      const stale = existing
        .filter(r => !(r.target === target.name && seen.has(r.stack_name)))
        .filter(r => !(r.environment_id && linked.has(r.environment_id)))
        .map(r => r.id);
      for (let i = 0; i < stale.length; i += CHUNK) {
        await tx(ORPHANS)
          .whereIn('id', stale.slice(i, i + CHUNK))
          .delete();
      }
    });
  }

  /** The ids among `ids` of environments not deleted. */
  private async liveEnvironmentIds(
    db: Knex,
    ids: string[],
  ): Promise<Set<string>> {
    const live = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db(ENVIRONMENTS)
        .select('id')
        .whereIn('id', ids.slice(i, i + CHUNK))
        .whereNot('status', 'deleted');
      rows.forEach(r => live.add(r.id));
    }
    return live;
  }

  async syncMissingEntities(now: Date): Promise<void> {
    await this.db.transaction(async tx => {
      const environments = await tx<EnvironmentRow>(ENVIRONMENTS)
        .whereNotNull('entity_missing_since')
        .whereNot('status', 'deleted')
        .whereNot('entity_ref', ORPHAN_ENTITY_REF);
      // A stack whose unreadable tags brought it here keeps that orphan.
      const unreadable = new Set(
        (
          await tx<OrphanRow>(ORPHANS)
            .select('environment_id')
            .where('kind', 'unreadable-tags')
            .whereNotNull('environment_id')
        ).map(r => r.environment_id),
      );
      const rows = environments
        .filter(row => !unreadable.has(row.id))
        .map(row => {
          const environment = toEnvironment(row, this.protectedStages);
          return {
            id: randomUUID(),
            kind: 'missing-entity',
            target: row.target,
            account_id: row.account_id,
            region: row.region,
            stack_name: row.stack_name,
            stack_id: row.stack_id,
            stack_status: row.stack_status,
            reason: `the catalog has no entity ${row.entity_ref}`,
            entity_ref: row.entity_ref,
            environment_id: row.id,
            stage: row.stage,
            termination_protection: Boolean(row.termination_protection),
            protected: environment.protected,
            protection_reason: environment.protectionReason ?? null,
            first_seen_at: toDate(row.entity_missing_since!),
            seen_at: now,
          };
        });
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(ORPHANS)
          .insert(rows.slice(i, i + CHUNK))
          .onConflict(['target', 'stack_name'])
          .merge(REFRESHED);
      }
      const current = new Set(rows.map(r => r.environment_id));
      const stale = (
        await tx<OrphanRow>(ORPHANS)
          .select('id', 'environment_id')
          .where('kind', 'missing-entity')
      )
        .filter(r => !r.environment_id || !current.has(r.environment_id))
        .map(r => r.id);
      for (let i = 0; i < stale.length; i += CHUNK) {
        await tx(ORPHANS)
          .whereIn('id', stale.slice(i, i + CHUNK))
          .delete();
      }
    });
  }

  async listOrphans(
    filter: OrphanFilter,
  ): Promise<{ items: Orphan[]; nextCursor?: string }> {
    const query = this.db<OrphanRow>(ORPHANS)
      .orderBy([
        { column: 'first_seen_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit + 1);
    if (filter.target) query.where('target', filter.target);
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      const after = new Date(cursor.createdAt);
      query.where(q =>
        q
          .where('first_seen_at', '>', after)
          .orWhere(q2 =>
            q2
              .where('first_seen_at', '=', after)
              .andWhere('id', '>', cursor.id),
          ),
      );
    }
    const rows = await query;
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOrphan),
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor({
              createdAt: toDate(last.first_seen_at).getTime(),
              id: last.id,
            })
          : undefined,
    };
  }

  async getOrphan(id: string): Promise<Orphan | undefined> {
    const row = await this.db<OrphanRow>(ORPHANS).where({ id }).first();
    return row ? toOrphan(row) : undefined;
  }

  async environmentForTeardown(
    orphanId: string,
    actor: string,
  ): Promise<string> {
    return this.db.transaction(async tx => {
      const orphan = await tx<OrphanRow>(ORPHANS)
        .where({ id: orphanId })
        .first();
      if (!orphan) throw new NotFoundError(`No orphan with id "${orphanId}"`);
      if (orphan.environment_id) return orphan.environment_id;
      const holder = await tx<EnvironmentRow>(ENVIRONMENTS)
        .where({ target: orphan.target, stack_name: orphan.stack_name })
        .first();
      if (holder && holder.status !== 'deleted') {
        await tx(ORPHANS)
          .where({ id: orphan.id })
          .update({ environment_id: holder.id });
        return holder.id;
      }
      if (holder) {
        throw new ConflictError(
          `Stack "${orphan.stack_name}" on target "${orphan.target}" is the name of a deleted environment of ${holder.entity_ref}; delete the stack in CloudFormation`,
        );
      }
      const now = new Date();
      const stage = orphan.stage ?? orphanStageOf(orphan.stack_name, undefined);
      const prefix =
        stage && orphan.stack_name.endsWith(`-${stage}`)
          ? orphan.stack_name.slice(0, -stage.length - 1)
          : orphan.stack_name;
      const id = randomUUID();
      await tx(ENVIRONMENTS).insert({
        id,
        entity_ref: ORPHAN_ENTITY_REF,
        target: orphan.target,
        target_type: 'aws',
        account_id: orphan.account_id,
        region: orphan.region,
        prefix: prefix.slice(0, 64),
        stage: stage.slice(0, 32),
        stack_name: orphan.stack_name,
        stack_id: orphan.stack_id,
        status: orphan.stack_status
          ? environmentStatusOf(orphan.stack_status)
          : 'ready',
        stack_status: orphan.stack_status,
        status_reason: `Tracked to tear down an orphan stack: ${orphan.reason}`,
        outputs: '{}',
        resources: '{}',
        alarms: '[]',
        protected: false,
        termination_protection: Boolean(orphan.termination_protection),
        created_by: actor,
        created_at: now,
        updated_at: now,
        entity_missing_since: now,
      });
      await tx(ORPHANS).where({ id: orphan.id }).update({ environment_id: id });
      return id;
    });
  }
}
