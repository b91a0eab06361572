import type { Orphan } from '@stackyard/plugin-stackyard-common';

/**
 * A stack with Stackyard tags that cannot be adopted, as one reconcile
 * cycle saw it in DescribeStacks.
 */
export type OrphanSighting = {
  stackName: string;
  stackId?: string;
  stackStatus?: string;
  reason: string;
  /** The entity its tag names, when that is a valid entity ref. */
  entityRef?: string;
  /** Its `stackyard:stage` tag, whatever it says. */
  stageTag?: string;
  terminationProtection: boolean;
};

/** Filters and paging of {@link OrphanStore.listOrphans}. */
export type OrphanFilter = { target?: string; limit: number; cursor?: string };

/** Stacks with Stackyard tags that no catalog entity owns. */
export interface OrphanStore {
  /**
   * Replaces the `unreadable-tags` orphans of one account/region, whose
   * stacks were all listed this cycle: `sightings` are kept (first seen
   * time preserved), the others removed, except those whose teardown an
   * environment still tracks.
   */
  recordUnreadable(options: {
    target: { name: string; accountId: string; region: string };
    /** Every target name of this account/region. */
    targetNames: string[];
    sightings: OrphanSighting[];
    now: Date;
  }): Promise<void>;

  /**
   * Makes the `missing-entity` orphans the environments (not deleted)
   * whose entity is missing from the catalog.
   */
  syncMissingEntities(now: Date): Promise<void>;

  listOrphans(
    filter: OrphanFilter,
  ): Promise<{ items: Orphan[]; nextCursor?: string }>;

  getOrphan(id: string): Promise<Orphan | undefined>;

  /**
   * The environment that tracks the orphan's stack, created for a stack
   * with unreadable tags that has none (so its teardown is an operation
   * like any other). Refuses (ConflictError) when another entity's row
   * holds the stack name.
   */
  environmentForTeardown(orphanId: string, actor: string): Promise<string>;
}
