import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Environment,
  Operation,
} from '@stackyard/plugin-stackyard-common';
import type { StackGateway, StackSummary } from '../aws/CloudFormationStacks';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import { environmentStatusOf } from './stackStatus';

/** Options of {@link OperationTracker}. */
export type OperationTrackerOptions = {
  store: EnvironmentStore;
  stacks: StackGateway;
  targets: ReadonlyMap<string, Target>;
  notifier: EnvironmentNotifier;
  logger: LoggerService;
  /**
   * How long a teardown may stay `pending` (claimed, DeleteStack not
   * confirmed) before it is resolved as interrupted. @default 120000
   */
  pendingGraceMs?: number;
  /** How long a deploy may run without a registered result. @default 3 hours */
  deployTimeoutMs?: number;
  /** The current time; replaceable for tests. */
  now?: () => Date;
};

/**
 * Follows unfinished operations to their end from CloudFormation's actual
 * state, including those left behind by a restarted or lost replica: records
 * the stack's events, and finishes teardowns when the stack is gone or its
 * deletion failed. Nothing stays in progress forever: an interrupted
 * teardown whose delete never reached CloudFormation, or a deploy that never
 * reported back, ends as failed with the reason.
 */
export class OperationTracker {
  static create(options: OperationTrackerOptions): OperationTracker {
    return new OperationTracker(options);
  }

  private readonly pendingGraceMs: number;
  private readonly deployTimeoutMs: number;
  private readonly now: () => Date;

  private constructor(private readonly options: OperationTrackerOptions) {
    this.pendingGraceMs = options.pendingGraceMs ?? 120_000;
    this.deployTimeoutMs = options.deployTimeoutMs ?? 3 * 3600_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Looks at every unfinished operation once. */
  async trackOnce(): Promise<{ tracked: number; finished: number }> {
    const now = this.now();
    const operations = await this.options.store.listUnfinishedOperations(
      new Date(now.getTime() + 1),
    );
    let finished = 0;
    for (const operation of operations) {
      try {
        if (await this.track(operation, now)) finished += 1;
      } catch (error) {
        this.options.logger.warn(
          `Could not track operation ${operation.id}: ${error}`,
        );
      }
    }
    return { tracked: operations.length, finished };
  }

  private async track(operation: Operation, now: Date): Promise<boolean> {
    const { store } = this.options;
    const environment = await store.getEnvironment(operation.environmentId);
    if (!environment) return false;
    const age = now.getTime() - new Date(operation.updatedAt).getTime();
    const target = this.options.targets.get(environment.target);
    if (operation.type === 'deploy') {
      if (age < this.deployTimeoutMs) return false;
      return this.resolveStaleDeploy(environment, operation, target);
    }
    if (operation.type === 'approved-deploy') {
      return this.followApprovedDeploy(environment, operation, target, age);
    }
    if (!target || target.type !== 'aws') {
      return this.finish(environment, operation, {
        state: 'failed',
        error: `Target "${environment.target}" cannot be reached to finish the teardown`,
        environmentStatus: 'failed',
        statusReason: 'Teardown interrupted',
      });
    }
    const stackRef = environment.stackId ?? environment.stackName;
    const stack = await this.options.stacks.describeStack(target, stackRef);
    const events = await this.options.stacks.listStackEvents(
      target,
      stackRef,
      new Date(operation.createdAt),
    );
    await store.addEvents(environment.id, operation.id, events);

    if (!stack || stack.stackStatus === 'DELETE_COMPLETE') {
      return this.finish(environment, operation, {
        state: 'succeeded',
        environmentStatus: 'deleted',
        statusReason: 'Torn down',
      });
    }
    if (stack.stackStatus === 'DELETE_FAILED') {
      return this.finish(environment, operation, {
        state: 'failed',
        error: `CloudFormation could not delete the stack: ${
          stack.statusReason ?? 'DELETE_FAILED'
        }`,
        environmentStatus: 'failed',
        statusReason: stack.statusReason ?? 'DELETE_FAILED',
      });
    }
    if (stack.stackStatus === 'DELETE_IN_PROGRESS') {
      if (operation.state === 'pending') {
        const updated = await store.updateOperation(operation.id, {
          state: 'running',
        });
        await this.options.notifier.operationChanged(environment, updated);
      } else if (events.length > 0) {
        await this.options.notifier.operationChanged(environment, operation);
      }
      return false;
    }
    if (age < this.pendingGraceMs) return false;
    return this.finish(environment, operation, {
      state: 'failed',
      error:
        operation.state === 'pending'
          ? `The teardown was interrupted before CloudFormation accepted the delete request; the stack is ${stack.stackStatus}. Request the teardown again.`
          : `CloudFormation reports the stack as ${stack.stackStatus}, not being deleted`,
      ...this.statusFrom(stack),
    });
  }

  /**
   * Follows the execution of an approved change set, as teardowns are
   * followed: records the stack's events and finishes with the stack's
   * outcome. An outcome counts only once the stack reported it during this
   * operation, so the stack's state from before the execution never ends it.
   */
  private async followApprovedDeploy(
    environment: Environment,
    operation: Operation,
    target: Target | undefined,
    age: number,
  ): Promise<boolean> {
    if (!target || target.type !== 'aws') {
      return this.finish(environment, operation, {
        state: 'failed',
        error: `Target "${environment.target}" cannot be reached to follow the deploy`,
        environmentStatus: 'failed',
        statusReason: 'Approved deploy could not be followed',
      });
    }
    const stackRef = environment.stackId ?? environment.stackName;
    const stack = await this.options.stacks.describeStack(target, stackRef);
    const events = await this.options.stacks.listStackEvents(
      target,
      stackRef,
      new Date(operation.createdAt),
    );
    await this.options.store.addEvents(environment.id, operation.id, events);
    if (!stack) {
      return this.finish(environment, operation, {
        state: 'failed',
        error: 'The stack disappeared while its approved change set ran',
        environmentStatus: 'deleted',
        statusReason: 'The stack no longer exists in CloudFormation',
      });
    }
    const status = environmentStatusOf(stack.stackStatus);
    const reported = events.some(
      e =>
        e.logicalResourceId === environment.stackName &&
        e.resourceStatus === stack.stackStatus,
    );
    if (status === 'deploying' || (!reported && age < this.deployTimeoutMs)) {
      if (events.length > 0) {
        await this.options.notifier.operationChanged(environment, operation);
      }
      return false;
    }
    const done = await this.finish(environment, operation, {
      state: status === 'ready' ? 'succeeded' : 'failed',
      error:
        status === 'ready'
          ? undefined
          : `CloudFormation reports the stack as ${stack.stackStatus}: ${
              stack.statusReason ?? 'the approved change set failed'
            }`,
      ...this.statusFrom(stack),
    });
    // The outputs and stack id of the executed change set, at once.
    await this.options.store.applyObservations(
      [
        {
          id: environment.id,
          status,
          stackStatus: stack.stackStatus,
          statusReason: stack.statusReason,
          stackId: stack.stackId || undefined,
          outputs: stack.outputs,
          terminationProtection: stack.terminationProtection,
          alarms: environment.alarms,
        },
      ],
      this.now(),
    );
    return done;
  }

  private async resolveStaleDeploy(
    environment: Environment,
    operation: Operation,
    target: Target | undefined,
  ): Promise<boolean> {
    const stack =
      target?.type === 'aws'
        ? await this.options.stacks.describeStack(
            target,
            environment.stackId ?? environment.stackName,
          )
        : undefined;
    if (stack && environmentStatusOf(stack.stackStatus) === 'deploying') {
      return false;
    }
    const status = stack ? environmentStatusOf(stack.stackStatus) : 'failed';
    return this.finish(environment, operation, {
      state: status === 'ready' ? 'succeeded' : 'failed',
      error:
        status === 'ready'
          ? undefined
          : `No result was registered for this deploy; the stack is ${
              stack?.stackStatus ?? 'missing'
            }`,
      ...(stack
        ? this.statusFrom(stack)
        : {
            environmentStatus: 'failed' as const,
            statusReason: 'The deploy never reported a result',
          }),
    });
  }

  private statusFrom(stack: StackSummary) {
    return {
      environmentStatus: environmentStatusOf(stack.stackStatus),
      statusReason: stack.statusReason ?? stack.stackStatus,
    };
  }

  private async finish(
    environment: Environment,
    operation: Operation,
    update: Parameters<EnvironmentStore['updateOperation']>[1],
  ): Promise<boolean> {
    const updated = await this.options.store.updateOperation(
      operation.id,
      update,
    );
    const after =
      (await this.options.store.getEnvironment(environment.id)) ?? environment;
    await this.options.notifier.operationChanged(after, updated);
    await this.options.notifier.environmentChanged(after);
    return true;
  }
}
