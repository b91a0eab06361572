import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  DISCOVERY_ACTOR,
  STACKYARD_TAG_KEYS,
  entityRefSchema,
  type Environment,
  type EnvironmentAlarm,
} from '@stackyard/plugin-stackyard-common';
import type { AwsTarget } from '../aws/AwsClientFactory';
import type { StackGateway, StackSummary } from '../aws/CloudFormationStacks';
import type { AlarmGateway } from '../aws/CloudWatchAlarms';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type {
  EnvironmentStore,
  ObservedEnvironment,
} from '../database/EnvironmentStore';
import type { OrphanSighting, OrphanStore } from '../database/OrphanStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import type { TeardownService } from '../teardown/TeardownService';
import { costCenterOf, readDiscoveryTags } from './discovery';
import type { EntityPresence } from './EntityPresence';
import { environmentStatusOf } from './stackStatus';

/** What one reconcile cycle did. */
export type ReconcileStats = {
  environments: number;
  /** Account/region pairs queried. */
  accountRegions: number;
  changed: number;
  expired: number;
  failedAccountRegions: number;
  /** Stackyard-tagged stacks without a row that got one this cycle. */
  discovered: number;
  /**
   * Stackyard-tagged stacks not adopted: tags that do not parse or disagree
   * with the stack name, or a name another entity's row holds.
   */
  orphanCandidates: number;
  /** Entities of environments the catalog lacks (unknown when it could not be asked). */
  missingEntities?: number;
};

type DiscoveryCounts = {
  orphanCandidates: number;
  discoveredIds: string[];
};

/** Options of {@link Reconciler}. */
export type ReconcilerOptions = {
  store: EnvironmentStore;
  stacks: StackGateway;
  alarms: AlarmGateway;
  targets: ReadonlyMap<string, Target>;
  teardown: TeardownService;
  notifier: EnvironmentNotifier;
  logger: LoggerService;
  /** Where stacks with Stackyard tags that cannot be adopted are listed. */
  orphans: OrphanStore;
  /**
   * Which environments' entities the catalog lacks; without it, no
   * environment is flagged.
   */
  entities?: EntityPresence;
  /** Lifetime of discovered ephemeral stacks tagged `stackyard:ttl-hours=default`. */
  defaultTtlHours: number;
  now?: () => Date;
};

/**
 * Compares every tracked environment with AWS. Calls are batched per
 * account and region: one paginated DescribeStacks and one paginated
 * DescribeAlarms (metric and composite) per pair, however many stacks it
 * holds, so calls grow with result pages rather than stacks. Alarms belong
 * to the stack whose name, followed by `-`, is their name's longest prefix.
 * Stacks missing from CloudFormation are marked deleted; expired previews
 * are torn down. Every aws target's account and region is listed, so
 * Stackyard-tagged stacks deployed outside the portal (CI, laptops) are
 * discovered from the same pages at no extra DescribeStacks call; those
 * that cannot be adopted are listed as orphans. One batched catalog lookup
 * per cycle flags environments whose entity is gone (nothing is deleted).
 */
export class Reconciler {
  static create(options: ReconcilerOptions): Reconciler {
    return new Reconciler(options);
  }

  private readonly now: () => Date;
  private readonly warnedOrphans = new Set<string>();

  private constructor(private readonly options: ReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async reconcileOnce(): Promise<ReconcileStats> {
    const { store, logger } = this.options;
    const startedAt = this.now();
    const environments = await store.listTrackedAwsEnvironments();
    const groups = this.groupByAccountRegion(environments);

    const observations: ObservedEnvironment[] = [];
    const counts: DiscoveryCounts = {
      orphanCandidates: 0,
      discoveredIds: [],
    };
    let failed = 0;
    for (const { target, members } of groups.values()) {
      try {
        observations.push(...(await this.observe(target, members, counts)));
      } catch (error) {
        failed += 1;
        logger.warn(
          `Reconcile of account ${target.accountId} in ${target.region} failed: ${error}`,
        );
      }
    }
    const discovered = new Set(counts.discoveredIds);
    const changed = [
      ...(await store.applyObservations(
        observations.filter(o => !discovered.has(o.id)),
        startedAt,
      )),
      // Rows registered during this cycle are stamped with the store's
      // clock, after `startedAt`; their first observation is newer still.
      ...(await store.applyObservations(
        observations.filter(o => discovered.has(o.id)),
        new Date(),
      )),
    ];
    for (const environment of changed) {
      await this.options.notifier.environmentChanged(environment);
    }
    // A discovered row is news even when its first observation changed
    // nothing: its entity's Infra tab has never seen it.
    const notified = new Set(changed.map(e => e.id));
    for (const id of discovered) {
      if (notified.has(id)) continue;
      const environment = await store.getEnvironment(id);
      if (environment) {
        await this.options.notifier.environmentChanged(environment);
      }
    }
    const missingEntities = await this.checkEntities();
    await this.options.orphans.syncMissingEntities(this.now());
    const expired = await this.teardownExpired(startedAt);
    return {
      environments: environments.length,
      accountRegions: groups.size,
      changed: changed.length,
      expired,
      failedAccountRegions: failed,
      discovered: counts.discoveredIds.length,
      orphanCandidates: counts.orphanCandidates,
      missingEntities,
    };
  }

  /**
   * Flags the environments whose entity the catalog lacks and clears the
   * flag of those whose entity is back; returns how many entities are
   * missing. A catalog that cannot be asked changes nothing.
   */
  private async checkEntities(): Promise<number | undefined> {
    const { store, entities, notifier, logger } = this.options;
    if (!entities) return undefined;
    let missing: string[];
    try {
      missing = await entities.missingOf(await store.listEntityRefsInUse());
    } catch (error) {
      logger.warn(
        `Could not ask the catalog which entities exist; no environment is flagged or cleared this cycle: ${error}`,
      );
      return undefined;
    }
    for (const environment of await store.markMissingEntities(
      missing,
      this.now(),
    )) {
      await notifier.environmentChanged(environment);
    }
    return missing.length;
  }

  /** The names of every aws target in `target`'s account and region. */
  private targetNamesLike(target: AwsTarget): string[] {
    return [...this.options.targets.values()]
      .filter(
        (t): t is AwsTarget =>
          t.type === 'aws' &&
          t.accountId === target.accountId &&
          t.region === target.region &&
          (t.endpoint ?? '') === (target.endpoint ?? ''),
      )
      .map(t => t.name);
  }

  private groupByAccountRegion(environments: Environment[]) {
    const groups = new Map<
      string,
      { target: AwsTarget; members: Environment[] }
    >();
    const keyOf = (target: AwsTarget) =>
      `${target.accountId}/${target.region}/${target.endpoint ?? ''}`;
    // Every aws target is listed, rows or not, for discovery.
    for (const target of this.options.targets.values()) {
      if (target.type !== 'aws') continue;
      if (!groups.has(keyOf(target))) {
        groups.set(keyOf(target), { target, members: [] });
      }
    }
    for (const environment of environments) {
      const target = this.options.targets.get(environment.target);
      if (target?.type !== 'aws') continue;
      groups.get(keyOf(target))!.members.push(environment);
    }
    return groups;
  }

  private async observe(
    target: AwsTarget,
    tracked: Environment[],
    counts: DiscoveryCounts,
  ): Promise<ObservedEnvironment[]> {
    // With rows here the alarms are needed anyway: list them alongside the
    // stacks. Only an account/region with no rows waits to see whether
    // discovery finds any before asking for its alarms.
    const alarmsListed =
      tracked.length > 0 ? this.options.alarms.listAlarms(target) : undefined;
    // Awaited below; kept from being unhandled if listing the stacks fails.
    alarmsListed?.catch(() => undefined);
    const stacks = await this.options.stacks.listStacks(target);
    const sightings: OrphanSighting[] = [];
    const members = [
      ...tracked,
      ...(await this.discover(target, tracked, stacks, counts, sightings)),
    ];
    // Every stack of the account/region was listed: the orphans seen now
    // are all there are.
    await this.options.orphans.recordUnreadable({
      target,
      targetNames: this.targetNamesLike(target),
      sightings,
      now: this.now(),
    });
    if (members.length === 0) return [];
    const alarms = await (alarmsListed ??
      this.options.alarms.listAlarms(target));
    const byName = new Map(stacks.map(s => [s.stackName, s]));
    const alarmsByStack = assignAlarms(
      alarms,
      members.map(m => m.stackName),
    );
    return members.map(environment =>
      observation(
        environment,
        byName.get(environment.stackName),
        alarmsByStack.get(environment.stackName) ?? [],
      ),
    );
  }

  /**
   * Registers a row, through the same store path as a deployment, for each
   * Stackyard-tagged stack that has none; returns the new rows.
   */
  private async discover(
    target: AwsTarget,
    tracked: Environment[],
    stacks: StackSummary[],
    counts: DiscoveryCounts,
    sightings: OrphanSighting[],
  ): Promise<Environment[]> {
    const { store, defaultTtlHours } = this.options;
    const trackedByName = new Map(tracked.map(e => [e.stackName, e]));
    const found: Environment[] = [];
    const notAdopted = (stack: StackSummary, reason: string) => {
      counts.orphanCandidates += 1;
      this.warnNotAdopted(target, stack.stackName, reason);
    };
    const orphaned = (stack: StackSummary, reason: string) => {
      notAdopted(stack, reason);
      // A stack on its way out is no orphan to act on.
      if (stack.stackStatus === 'DELETE_COMPLETE') return;
      const entityRef = entityRefSchema.safeParse(
        stack.tags[STACKYARD_TAG_KEYS.entityRef],
      );
      sightings.push({
        stackName: stack.stackName,
        stackId: stack.stackId || undefined,
        stackStatus: stack.stackStatus,
        reason,
        entityRef: entityRef.success
          ? entityRef.data.toLocaleLowerCase('en-US')
          : undefined,
        stageTag: stack.tags[STACKYARD_TAG_KEYS.stage] || undefined,
        terminationProtection: stack.terminationProtection,
      });
    };
    for (const stack of stacks) {
      const verdict = readDiscoveryTags(stack, defaultTtlHours);
      if (verdict.kind === 'untagged') continue;
      const existing = trackedByName.get(stack.stackName);
      if (existing) {
        if (
          verdict.kind === 'adoptable' &&
          verdict.stack.entityRef.toLocaleLowerCase('en-US') !==
            existing.entityRef
        ) {
          notAdopted(
            stack,
            `its tags name ${verdict.stack.entityRef}, but the stack belongs to ${existing.entityRef}`,
          );
        }
        continue;
      }
      if (verdict.kind === 'orphan') {
        orphaned(stack, verdict.reason);
        continue;
      }
      const status = environmentStatusOf(stack.stackStatus);
      // A stack on its way out is not worth a row.
      if (status === 'deleting' || status === 'deleted') continue;
      const {
        entityRef,
        prefix,
        stage,
        branch,
        commit,
        costCenter,
        expiresAt,
      } = verdict.stack;
      try {
        const { environment } = await store.registerDeployment({
          request: {
            entityRef,
            target: target.name,
            prefix,
            stage,
            stackName: stack.stackName,
            stackId: stack.stackId || undefined,
            status,
            statusReason: stack.statusReason,
            outputs: stack.outputs,
            expiresAt: expiresAt?.toISOString(),
            branch,
            commit,
            costCenter,
          },
          target,
          actor: DISCOVERY_ACTOR,
        });
        counts.discoveredIds.push(environment.id);
        found.push(environment);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        orphaned(stack, error.message);
      }
    }
    return found;
  }

  /** Warned once per stack and reason; an orphan stays one every cycle. */
  private warnNotAdopted(target: AwsTarget, stackName: string, reason: string) {
    const key = `${target.accountId}/${target.region}/${stackName}: ${reason}`;
    if (this.warnedOrphans.has(key)) return;
    this.warnedOrphans.add(key);
    this.options.logger.warn(
      `Stack ${stackName} in account ${target.accountId} ${target.region} carries Stackyard tags but is not adopted: ${reason}`,
    );
  }

  private async teardownExpired(now: Date): Promise<number> {
    let count = 0;
    for (const environment of await this.options.store.listExpired(now)) {
      try {
        await this.options.teardown.teardownExpired(environment);
        count += 1;
      } catch (error) {
        this.options.logger.warn(
          `Could not tear down expired preview ${environment.stackName}: ${error}`,
        );
      }
    }
    return count;
  }
}

function observation(
  environment: Environment,
  stack: StackSummary | undefined,
  alarms: EnvironmentAlarm[],
): ObservedEnvironment {
  if (!stack) {
    return {
      id: environment.id,
      status: 'deleted',
      statusReason:
        'The stack no longer exists in CloudFormation; it was deleted outside Stackyard',
      alarms: [],
    };
  }
  return {
    id: environment.id,
    status: environmentStatusOf(stack.stackStatus),
    stackStatus: stack.stackStatus,
    statusReason: stack.statusReason,
    stackId: stack.stackId || undefined,
    outputs: stack.outputs,
    terminationProtection: stack.terminationProtection,
    costCenter: costCenterOf(stack),
    alarms,
  };
}

/** Gives each alarm to the stack whose `<name>-` is its longest prefix. */
export function assignAlarms(
  alarms: EnvironmentAlarm[],
  stackNames: string[],
): Map<string, EnvironmentAlarm[]> {
  const names = new Set(stackNames);
  const result = new Map<string, EnvironmentAlarm[]>();
  for (const alarm of alarms) {
    let owner: string | undefined;
    for (
      let i = alarm.name.indexOf('-');
      i > 0;
      i = alarm.name.indexOf('-', i + 1)
    ) {
      const candidate = alarm.name.slice(0, i);
      if (names.has(candidate)) owner = candidate;
    }
    if (owner) {
      const list = result.get(owner) ?? [];
      list.push(alarm);
      result.set(owner, list);
    }
  }
  return result;
}
