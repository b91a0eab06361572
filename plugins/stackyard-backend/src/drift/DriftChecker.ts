import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  DriftReport,
  Environment,
  ResourceDrift,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { AwsTarget } from '../aws/AwsClientFactory';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import type { DetectionStatus, DriftGateway } from './CloudFormationDrift';
import type { DriftStore } from './DriftStore';

/** How a check waits for CloudFormation's detection to finish. */
export type DriftPolling = {
  /** First wait between status polls; doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A detection still running after this long is recorded as failed. */
  timeoutMs: number;
};

/** CloudFormation detects most stacks within seconds, large ones in minutes. */
export const DEFAULT_DRIFT_POLLING: DriftPolling = {
  initialDelayMs: 2000,
  maxDelayMs: 30_000,
  timeoutMs: 10 * 60_000,
};

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Resource drift statuses in the order a report lists them. */
const ORDER = ['DELETED', 'MODIFIED', 'NOT_CHECKED', 'IN_SYNC'];

/** The outcome of asking for a check. */
export type StartedCheck = { environment: Environment; started: boolean };

/**
 * Runs CloudFormation drift detection for environments on aws targets with
 * the backend's credentials: claims the stack (one check per stack across
 * replicas, at most `maxConcurrentPerAccount` per account), starts
 * DetectStackDrift, polls its status with backoff up to a bound, reads
 * every resource's drift and stores the result; a live update goes out
 * when a check starts and when it ends.
 */
export class DriftChecker {
  private readonly inFlight = new Set<Promise<void>>();

  static create(options: {
    store: EnvironmentStore;
    drift: DriftStore;
    gateway: DriftGateway;
    targets: ReadonlyMap<string, Target>;
    notifier: EnvironmentNotifier;
    logger: LoggerService;
    maxConcurrentPerAccount: number;
    polling?: Partial<DriftPolling>;
    now?: () => Date;
  }): DriftChecker {
    return new DriftChecker(options, {
      ...DEFAULT_DRIFT_POLLING,
      ...options.polling,
    });
  }

  private constructor(
    private readonly deps: Parameters<typeof DriftChecker.create>[0],
    private readonly polling: DriftPolling,
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Starts a check of the environment's stack, or reuses the one running.
   * Throws a ConflictError when there is nothing to check (a local
   * preview, a stack deleted or not deployed) or the account is busy.
   */
  async start(environment: Environment): Promise<StartedCheck> {
    const target = this.awsTargetOf(environment);
    const now = this.now();
    const claim = await this.deps.drift.claim({
      environmentId: environment.id,
      accountId: target.accountId,
      now,
      // A check abandoned by a stopped replica is taken over after this.
      staleBefore: new Date(now.getTime() - this.polling.timeoutMs - 60_000),
      maxPerAccount: this.deps.maxConcurrentPerAccount,
    });
    if (claim.kind === 'busy') {
      throw new ConflictError(
        `${claim.running} drift checks already run in account ${target.accountId}, the most allowed at once (stackyard.drift.maxConcurrentPerAccount); try again when one finishes`,
      );
    }
    const current = (await this.deps.store.getEnvironment(environment.id))!;
    if (claim.kind === 'running')
      return { environment: current, started: false };
    await this.deps.notifier.environmentChanged(current);
    // Runs after the request is answered; a failure to record the outcome
    // (the database gone) is logged, never an unhandled rejection.
    const run = this.run(current, target)
      .catch(error =>
        this.deps.logger.error(
          `Drift check of ${current.stackName} could not be recorded: ${error}`,
        ),
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return { environment: current, started: true };
  }

  /** The last finished check of the environment, per resource. */
  async report(environment: Environment): Promise<DriftReport> {
    const stored = await this.deps.drift.resources(environment.id);
    return { drift: environment.drift, resources: stored?.items ?? [] };
  }

  /** Resolves when every check started by this replica has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
  }

  private awsTargetOf(environment: Environment): AwsTarget {
    const target = this.deps.targets.get(environment.target);
    if (environment.targetType === 'local' || target?.type === 'local') {
      throw new ConflictError(
        `Nothing to check: "${environment.stackName}" is a local preview, which has no CloudFormation stack to drift`,
      );
    }
    if (!target) {
      throw new ConflictError(
        `Cannot check drift of "${environment.stackName}": its target "${environment.target}" is no longer configured`,
      );
    }
    if (environment.status === 'deleted' || environment.status === 'deleting') {
      throw new ConflictError(
        `Nothing to check: the stack "${environment.stackName}" is ${environment.status}`,
      );
    }
    if (environment.status === 'deploying') {
      throw new ConflictError(
        `Cannot check drift of "${environment.stackName}" while it deploys; try again when the deployment finished`,
      );
    }
    return target;
  }

  private async run(environment: Environment, target: AwsTarget) {
    const { drift, gateway, logger } = this.deps;
    const stack = environment.stackId ?? environment.stackName;
    try {
      const detectionId = await gateway.startDetection(target, stack);
      const status = await this.waitFor(target, detectionId);
      if (status.state === 'failed') {
        await drift.fail(environment.id, status.reason, this.now());
      } else {
        const resources = sortDrifts(
          await gateway.resourceDrifts(target, stack),
        );
        await drift.finish(
          environment.id,
          {
            drifted: status.drifted,
            driftedResources: status.driftedResources,
            resources,
          },
          this.now(),
        );
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(`Drift check of ${environment.stackName} failed: ${reason}`);
      await drift.fail(environment.id, reason, this.now()).catch(() => {});
    }
    const updated = await this.deps.store.getEnvironment(environment.id);
    if (updated) await this.deps.notifier.environmentChanged(updated);
  }

  /** Polls the detection with backoff until it ends or the bound passes. */
  private async waitFor(
    target: AwsTarget,
    detectionId: string,
  ): Promise<Exclude<DetectionStatus, { state: 'running' }>> {
    const deadline = Date.now() + this.polling.timeoutMs;
    let delay = this.polling.initialDelayMs;
    for (;;) {
      const status = await this.deps.gateway.detectionStatus(
        target,
        detectionId,
      );
      if (status.state !== 'running') return status;
      if (Date.now() + delay > deadline) {
        return {
          state: 'failed',
          reason: `drift detection ${detectionId} was still running after ${
            this.polling.timeoutMs / 1000
          } s`,
        };
      }
      await sleep(delay);
      delay = Math.min(delay * 2, this.polling.maxDelayMs);
    }
  }
}

/** Drifted resources first (deleted, modified), then by logical id. */
function sortDrifts(drifts: ResourceDrift[]): ResourceDrift[] {
  return [...drifts].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      a.logicalId.localeCompare(b.logicalId, 'en'),
  );
}
