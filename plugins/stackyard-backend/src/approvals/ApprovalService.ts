import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  Approval,
  ApprovalDecisionRequest,
  ApprovalDiff,
  Environment,
  Operation,
  stackyardDeployApprovePermission,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { AwsTarget } from '../aws/AwsClientFactory';
import type { StackGateway } from '../aws/CloudFormationStacks';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import { environmentStatusOf } from '../reconciler/stackStatus';
import type {
  EnvironmentGuard,
  GuardedMutation,
} from '../service/EnvironmentGuard';
import type { ApprovalStore } from './ApprovalStore';
import type { ChangeSetGateway, ChangeSetSummary } from './ChangeSets';

/** A change set found for an approval request, pinned by its ARN. */
export type VerifiedChangeSet = Pick<
  ChangeSetSummary,
  'id' | 'name' | 'creationTime'
>;

/**
 * Reviewed approvals of deploys whose change set broadens IAM or
 * security-group permissions: records what a stopped deploy kept, and
 * executes (then follows, through the operation tracker) or deletes that
 * change set for an approver who is not the person who started the deploy.
 */
export class ApprovalService {
  static create(options: {
    store: EnvironmentStore;
    approvals: ApprovalStore;
    changeSets: ChangeSetGateway;
    stacks: Pick<StackGateway, 'describeStack' | 'deleteStack'>;
    targets: ReadonlyMap<string, Target>;
    guard: EnvironmentGuard;
    notifier: EnvironmentNotifier;
    logger: LoggerService;
    now?: () => Date;
  }): ApprovalService {
    return new ApprovalService(options);
  }

  private readonly now: () => Date;

  private constructor(
    private readonly deps: Parameters<typeof ApprovalService.create>[0],
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Checks, before a deploy is recorded as awaiting approval, that the
   * change set it names exists on its stack and can be executed: the
   * approval pins that change set's ARN.
   */
  async verifyChangeSet(
    target: Target,
    stackName: string,
    changeSetName: string,
  ): Promise<VerifiedChangeSet> {
    if (target.type !== 'aws') {
      throw new InputError(
        `Invalid deployment: only deploys to aws targets wait for approval; "${target.name}" is a ${target.type} target`,
      );
    }
    const cs = await this.deps.changeSets.describe(
      target,
      changeSetName,
      stackName,
    );
    if (!cs || cs.stackName !== stackName) {
      throw new InputError(
        `Invalid deployment: stack "${stackName}" has no change set "${changeSetName}" to review`,
      );
    }
    if (cs.executionStatus !== 'AVAILABLE') {
      throw new ConflictError(
        `Change set "${changeSetName}" of "${stackName}" cannot be executed (${
          cs.executionStatus
        }${
          cs.statusReason ? `: ${cs.statusReason}` : ''
        }), so there is nothing to approve`,
      );
    }
    return { id: cs.id, name: cs.name, creationTime: cs.creationTime };
  }

  /**
   * Records the approval request of a deploy recorded as awaiting approval.
   * It replaces a request still pending, whose change set is deleted: only
   * the newest deploy can be approved.
   */
  async recordRequest(options: {
    environment: Environment;
    target: Target;
    changeSet: VerifiedChangeSet;
    diff: ApprovalDiff;
    requestedBy: string;
  }): Promise<Approval> {
    const previous = await this.deps.approvals.get(options.environment.id);
    if (
      previous?.state === 'pending' &&
      previous.changeSetId !== options.changeSet.id &&
      options.target.type === 'aws'
    ) {
      await this.deleteChangeSet(options.target, previous);
    }
    return this.deps.approvals.request({
      environmentId: options.environment.id,
      changeSetName: options.changeSet.name,
      changeSetId: options.changeSet.id,
      changeSetCreatedAt: options.changeSet.creationTime,
      diff: options.diff,
      requestedBy: options.requestedBy,
      now: this.now(),
    });
  }

  /** The environment's last approval request. */
  async get(environmentId: string): Promise<Approval> {
    const environment = await this.deps.store.getEnvironment(environmentId);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${environmentId}"`);
    }
    const approval = await this.deps.approvals.get(environmentId);
    if (!approval) {
      throw new NotFoundError(
        `Environment "${environment.stackName}" never waited for approval`,
      );
    }
    return approval;
  }

  /**
   * Approves or rejects for the caller: `stackyard.deploy.approve` on the
   * entity, never the person who started the deploy, audited both ways
   * (`environment-approval`). A stale change set is refused (409) and
   * deleted: it can never be executed again, and the deploy has to run anew.
   */
  async decide(options: {
    environmentId: string;
    decision: ApprovalDecisionRequest;
    credentials: BackstageCredentials;
    request?: Request;
  }): Promise<{ approval: Approval; operation?: Operation }> {
    const { environmentId, decision } = options;
    const result = await this.deps.guard.run(
      {
        eventId: 'environment-approval',
        severityLevel: 'high',
        request: options.request,
        credentials: options.credentials,
        meta: { environmentId, decision: decision.decision },
      },
      async g => {
        const environment = await this.deps.store.getEnvironment(environmentId);
        if (!environment) {
          throw new NotFoundError(`No environment with id "${environmentId}"`);
        }
        g.record({ stackName: environment.stackName });
        // The permission framework lets service principals through; a
        // review is a person's, so CI tokens never approve.
        const principal = options.credentials.principal as { type: string };
        if (principal.type !== 'user') {
          throw new NotAllowedError(
            'Deploys are approved or rejected by a person signed in to the portal, not with a service token',
          );
        }
        await g.authorize(
          stackyardDeployApprovePermission,
          environment.entityRef,
          `You may not approve deploys of ${environment.entityRef}: that needs the stackyard.deploy.approve permission (granted to the approver groups, stackyard.approvals.approverGroups)`,
        );
        const approval = await this.deps.approvals.get(environmentId);
        if (!approval) {
          throw new NotFoundError(
            `Environment "${environment.stackName}" never waited for approval`,
          );
        }
        g.record({
          changeSetId: approval.changeSetId,
          requestedBy: approval.requestedBy,
        });
        // Four eyes, whatever the permission policy says.
        if (g.actor === approval.requestedBy) {
          throw new NotAllowedError(
            `You started this deploy of ${environment.stackName}, so you may not ${decision.decision} it: another approver has to review it`,
          );
        }
        if (approval.state !== 'pending') {
          throw new ConflictError(
            `Nothing waits for approval on "${
              environment.stackName
            }": the change set was already ${approval.state}${
              approval.decidedBy ? ` by ${approval.decidedBy}` : ''
            }`,
          );
        }
        const target = this.deps.targets.get(environment.target);
        if (!target || target.type !== 'aws') {
          throw new ConflictError(
            `Target "${environment.target}" of "${environment.stackName}" is no longer a configured aws target`,
          );
        }
        if (decision.decision === 'reject') {
          return this.reject(environment, approval, target, g, decision);
        }
        return this.approve(environment, approval, target, g, decision);
      },
    );
    return result;
  }

  private async approve(
    environment: Environment,
    approval: Approval,
    target: AwsTarget,
    g: GuardedMutation,
    decision: ApprovalDecisionRequest,
  ): Promise<{ approval: Approval; operation: Operation }> {
    const stale = await this.staleness(environment, approval, target);
    if (stale) {
      await this.deleteChangeSet(target, approval);
      const closed = await this.close(environment, target, {
        state: 'stale',
        decidedBy: g.actor,
        reason: stale,
      });
      g.record({ outcome: 'stale' });
      await this.notify(environment.id, closed);
      throw new ConflictError(
        `The change set of "${environment.stackName}" went stale and was not executed: ${stale}. It was deleted; run the deploy again to review the current change.`,
      );
    }
    const started = await this.deps.approvals.approve({
      environmentId: environment.id,
      changeSetId: approval.changeSetId,
      decidedBy: g.actor,
      comment: decision.comment,
      operationId: randomUUID(),
      now: this.now(),
    });
    g.record({ outcome: 'approved', operationId: started.operation.id });
    let operation = started.operation;
    try {
      await this.deps.changeSets.execute(
        target,
        approval.changeSetId,
        operation.id,
      );
    } catch (error) {
      const message = (error as Error).message;
      this.deps.logger.warn(
        `ExecuteChangeSet of ${environment.stackName} on ${target.name} failed: ${message}`,
      );
      operation = await this.deps.store.updateOperation(operation.id, {
        state: 'failed',
        error: `CloudFormation refused ExecuteChangeSet: ${message}`,
        environmentStatus: 'failed',
        statusReason: `The approved change set could not be executed: ${message}`,
      });
      g.recordFailure(error as Error);
    }
    const after = await this.deps.store.getEnvironment(environment.id);
    if (after) {
      await this.deps.notifier.environmentChanged(after);
      await this.deps.notifier.operationChanged(after, operation);
    }
    return { approval: started.approval, operation };
  }

  private async reject(
    environment: Environment,
    approval: Approval,
    target: AwsTarget,
    g: GuardedMutation,
    decision: ApprovalDecisionRequest,
  ): Promise<{ approval: Approval }> {
    await this.deleteChangeSet(target, approval);
    const closed = await this.close(environment, target, {
      state: 'rejected',
      decidedBy: g.actor,
      comment: decision.comment,
    });
    g.record({ outcome: 'rejected' });
    await this.notify(environment.id, closed);
    return { approval: closed };
  }

  /** Why the change set may no longer be executed; undefined when it may. */
  private async staleness(
    environment: Environment,
    approval: Approval,
    target: AwsTarget,
  ): Promise<string | undefined> {
    if (environment.status !== 'awaiting-approval') {
      return `the environment is ${environment.status} now, no longer awaiting approval`;
    }
    const cs = await this.deps.changeSets.describe(
      target,
      approval.changeSetId,
    );
    if (!cs) {
      return 'CloudFormation no longer has it (executing another change set of the stack deletes the others)';
    }
    if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
      return `CloudFormation reports it as ${cs.status}/${cs.executionStatus}${
        cs.statusReason ? ` (${cs.statusReason})` : ''
      }`;
    }
    const stack = await this.deps.stacks.describeStack(target, cs.stackId);
    const updated = stack?.lastUpdatedTime;
    if (updated && updated.getTime() > cs.creationTime.getTime()) {
      return `the stack was updated at ${updated.toISOString()}, after the change set was made at ${cs.creationTime.toISOString()}`;
    }
    return undefined;
  }

  private async deleteChangeSet(target: AwsTarget, approval: Approval) {
    try {
      await this.deps.changeSets.delete(target, approval.changeSetId);
    } catch (error) {
      // The decision stands; a change set left behind is never executed.
      this.deps.logger.warn(
        `Could not delete change set ${approval.changeSetId}: ${error}`,
      );
    }
  }

  /**
   * Closes the request and gives the environment its stack's status back;
   * a stack that never left review (a first deploy) holds nothing, so it is
   * deleted with its change set.
   */
  private async close(
    environment: Environment,
    target: AwsTarget,
    closing: {
      state: 'rejected' | 'stale';
      decidedBy: string;
      comment?: string;
      reason?: string;
    },
  ): Promise<Approval> {
    const ref = environment.stackId ?? environment.stackName;
    const stack = await this.deps.stacks.describeStack(target, ref);
    const what =
      closing.state === 'rejected'
        ? `Deploy rejected by ${closing.decidedBy}`
        : 'Deploy not executed: its change set went stale';
    let environmentStatus = stack
      ? environmentStatusOf(stack.stackStatus)
      : ('deleted' as const);
    let statusReason = `${what}; the stack is as it was`;
    if (stack?.stackStatus === 'REVIEW_IN_PROGRESS') {
      await this.deps.stacks.deleteStack(target, stack.stackId, randomUUID());
      environmentStatus = 'deleted';
      statusReason = `${what}; nothing was created`;
    } else if (!stack) {
      statusReason = `${what}; the stack no longer exists`;
    }
    return this.deps.approvals.close({
      environmentId: environment.id,
      ...closing,
      environmentStatus,
      statusReason,
      now: this.now(),
    });
  }

  private async notify(environmentId: string, _approval: Approval) {
    const after = await this.deps.store.getEnvironment(environmentId);
    if (after) await this.deps.notifier.environmentChanged(after);
  }
}
