import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Environment,
  EnvironmentAlarm,
} from '@stackyard/plugin-stackyard-common';
import type { AwsTarget } from '../aws/AwsClientFactory';
import type { StackGateway, StackSummary } from '../aws/CloudFormationStacks';
import type { AlarmGateway } from '../aws/CloudWatchAlarms';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type {
  EnvironmentStore,
  ObservedEnvironment,
} from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import type { TeardownService } from '../teardown/TeardownService';
import { environmentStatusOf } from './stackStatus';

/** What one reconcile cycle did. */
export type ReconcileStats = {
  environments: number;
  /** Account/region pairs queried. */
  accountRegions: number;
  changed: number;
  expired: number;
  failedAccountRegions: number;
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
  now?: () => Date;
};

/**
 * Compares every tracked environment with AWS. Calls are batched per
 * account and region: one paginated DescribeStacks and one paginated
 * DescribeAlarms (metric and composite) per pair, however many stacks it
 * holds, so calls grow with result pages rather than stacks. Alarms belong
 * to the stack whose name, followed by `-`, is their name's longest prefix.
 * Stacks missing from CloudFormation are marked deleted; expired previews
 * are torn down.
 */
export class Reconciler {
  static create(options: ReconcilerOptions): Reconciler {
    return new Reconciler(options);
  }

  private readonly now: () => Date;

  private constructor(private readonly options: ReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async reconcileOnce(): Promise<ReconcileStats> {
    const { store, logger } = this.options;
    const startedAt = this.now();
    const environments = await store.listTrackedAwsEnvironments();
    const groups = this.groupByAccountRegion(environments);

    const observations: ObservedEnvironment[] = [];
    let failed = 0;
    for (const { target, members } of groups.values()) {
      try {
        observations.push(...(await this.observe(target, members)));
      } catch (error) {
        failed += 1;
        logger.warn(
          `Reconcile of account ${target.accountId} in ${target.region} failed: ${error}`,
        );
      }
    }
    const changed = await store.applyObservations(observations, startedAt);
    for (const environment of changed) {
      await this.options.notifier.environmentChanged(environment);
    }
    const expired = await this.teardownExpired(startedAt);
    return {
      environments: environments.length,
      accountRegions: groups.size,
      changed: changed.length,
      expired,
      failedAccountRegions: failed,
    };
  }

  private groupByAccountRegion(environments: Environment[]) {
    const groups = new Map<
      string,
      { target: AwsTarget; members: Environment[] }
    >();
    for (const environment of environments) {
      const target = this.options.targets.get(environment.target);
      if (target?.type !== 'aws') continue;
      const key = `${target.accountId}/${target.region}/${
        target.endpoint ?? ''
      }`;
      const group = groups.get(key) ?? { target, members: [] };
      group.members.push(environment);
      groups.set(key, group);
    }
    return groups;
  }

  private async observe(
    target: AwsTarget,
    members: Environment[],
  ): Promise<ObservedEnvironment[]> {
    const [stacks, alarms] = await Promise.all([
      this.options.stacks.listStacks(target),
      this.options.alarms.listAlarms(target),
    ]);
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
