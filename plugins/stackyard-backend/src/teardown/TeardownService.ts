import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Environment,
  Operation,
  stackyardEnvironmentDeletePermission,
} from '@stackyard/plugin-stackyard-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { StackGateway } from '../aws/CloudFormationStacks';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import { actorOf } from '../service/EnvironmentGuard';

/** The outcome of a teardown request. */
export type TeardownResult = {
  operation: Operation;
  /** False when the request joined a teardown that was already running. */
  started: boolean;
};

/** Guarded teardown of environments. */
export interface TeardownService {
  /**
   * Tears down an environment for a caller: checks the
   * `stackyard.environment.delete` permission on the entity, refuses
   * protected environments, audits, and returns the running operation when
   * a teardown already runs.
   */
  requestTeardown(options: {
    environmentId: string;
    credentials: BackstageCredentials;
    request?: Request;
  }): Promise<TeardownResult>;

  /** Tears down an expired preview on Stackyard's own behalf (audited). */
  teardownExpired(environment: Environment): Promise<TeardownResult>;

  /**
   * Starts (or joins) the teardown of an environment whose caller has
   * already authorized and audits the request (orphan teardown): refuses
   * protected environments, deletes the stack and leaves it to be followed
   * like every teardown.
   */
  teardownAuthorized(
    environment: Environment,
    actor: string,
  ): Promise<TeardownResult>;
}

/** Actor recorded for teardowns of expired previews. */
export const EXPIRY_ACTOR = 'stackyard:preview-expiry';

/** The default {@link TeardownService}. */
export class DefaultTeardownService implements TeardownService {
  static create(options: {
    store: EnvironmentStore;
    stacks: StackGateway;
    targets: ReadonlyMap<string, Target>;
    permissions: PermissionsService;
    auditor: AuditorService;
    notifier: EnvironmentNotifier;
    logger: LoggerService;
  }): DefaultTeardownService {
    return new DefaultTeardownService(options);
  }

  private constructor(
    private readonly deps: Parameters<typeof DefaultTeardownService.create>[0],
  ) {}

  async requestTeardown(options: {
    environmentId: string;
    credentials: BackstageCredentials;
    request?: Request;
  }): Promise<TeardownResult> {
    const { store, permissions, auditor } = this.deps;
    const environment = await store.getEnvironment(options.environmentId);
    if (!environment) {
      throw new NotFoundError(
        `No environment with id "${options.environmentId}"`,
      );
    }
    const [decision] = await permissions.authorize(
      [
        {
          permission: stackyardEnvironmentDeletePermission,
          resourceRef: environment.entityRef,
        },
      ],
      { credentials: options.credentials },
    );
    const actor = actorOf(options.credentials);
    const audit = await auditor.createEvent({
      eventId: 'environment-teardown',
      severityLevel: 'high',
      request: options.request,
      meta: {
        environmentId: environment.id,
        entityRef: environment.entityRef,
        stackName: environment.stackName,
        target: environment.target,
        actor,
      },
    });
    try {
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not tear down environments of ${environment.entityRef}`,
        );
      }
      const result = await this.start(environment, actor);
      await this.auditOutcome(audit, result);
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  async teardownExpired(environment: Environment): Promise<TeardownResult> {
    const audit = await this.deps.auditor.createEvent({
      eventId: 'environment-teardown',
      severityLevel: 'high',
      meta: {
        environmentId: environment.id,
        entityRef: environment.entityRef,
        stackName: environment.stackName,
        target: environment.target,
        actor: EXPIRY_ACTOR,
        expiresAt: environment.expiresAt ?? null,
      },
    });
    try {
      const result = await this.start(environment, EXPIRY_ACTOR);
      await this.auditOutcome(audit, result);
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  teardownAuthorized(
    environment: Environment,
    actor: string,
  ): Promise<TeardownResult> {
    return this.start(environment, actor);
  }

  private async auditOutcome(
    audit: AuditorServiceEvent,
    result: TeardownResult,
  ): Promise<void> {
    const meta = { operationId: result.operation.id, started: result.started };
    if (result.operation.state === 'failed') {
      await audit.fail({
        meta,
        error: new Error(result.operation.error ?? 'Teardown failed'),
      });
    } else {
      await audit.success({ meta });
    }
  }

  private async start(
    environment: Environment,
    actor: string,
  ): Promise<TeardownResult> {
    const { store } = this.deps;
    if (environment.status === 'deleted') {
      return this.finishedTeardown(environment);
    }
    if (environment.protectionReason && !environment.activeOperationId) {
      throw new ConflictError(
        `Environment "${environment.stackName}" is protected: ${environment.protectionReason}`,
      );
    }
    const target = this.deps.targets.get(environment.target);
    if (!target) {
      throw new ConflictError(
        `Target "${environment.target}" of environment "${environment.stackName}" is no longer configured`,
      );
    }
    const claim = await store.claimTeardown({
      environmentId: environment.id,
      operationId: randomUUID(),
      actor,
    });
    if (claim.kind === 'gone') {
      // A concurrent request's teardown finished between our read and our
      // claim (local previews finish at once): answer with that operation.
      return this.finishedTeardown(claim.environment);
    }
    if (claim.kind === 'busy') {
      throw new ConflictError(
        `Environment "${environment.stackName}" has a ${claim.operation.type} in progress (operation ${claim.operation.id}); try again when it finishes`,
      );
    }
    if (claim.kind === 'running') {
      return { operation: claim.operation, started: false };
    }
    await this.deps.notifier.operationChanged(
      claim.environment,
      claim.operation,
    );
    const operation = await this.deleteStack(
      claim.environment,
      claim.operation,
      target,
    );
    return { operation, started: true };
  }

  /** The teardown that deleted the environment, as a joined request sees it. */
  private async finishedTeardown(
    environment: Environment,
  ): Promise<TeardownResult> {
    const [last] = (
      await this.deps.store.listOperations(environment.id, 20)
    ).filter(o => o.type === 'teardown');
    if (last) return { operation: last, started: false };
    throw new ConflictError(
      `Environment "${environment.stackName}" no longer exists: it was deleted outside Stackyard`,
    );
  }

  private async deleteStack(
    environment: Environment,
    operation: Operation,
    target: Target,
  ): Promise<Operation> {
    const { store, stacks, notifier, logger } = this.deps;
    let updated: Operation;
    if (target.type === 'local') {
      updated = await store.updateOperation(operation.id, {
        state: 'succeeded',
        environmentStatus: 'deleted',
        statusReason: 'Local preview removed',
      });
    } else {
      try {
        await stacks.deleteStack(
          target,
          environment.stackId ?? environment.stackName,
          operation.id,
        );
        updated = await store.updateOperation(operation.id, {
          state: 'running',
          environmentStatus: 'deleting',
        });
      } catch (error) {
        logger.warn(
          `DeleteStack of ${environment.stackName} on ${target.name} failed: ${error}`,
        );
        updated = await store.updateOperation(operation.id, {
          state: 'failed',
          error: `CloudFormation refused DeleteStack: ${
            (error as Error).message
          }`,
          environmentStatus: 'failed',
          statusReason: `Teardown failed: ${(error as Error).message}`,
        });
      }
    }
    const after = (await store.getEnvironment(environment.id)) ?? environment;
    await notifier.operationChanged(after, updated);
    return updated;
  }
}
