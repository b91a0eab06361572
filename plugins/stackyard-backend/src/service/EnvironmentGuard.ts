import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { JsonObject, JsonValue } from '@backstage/config';
import type { Request } from 'express';

/** How a caller is recorded as the actor of an operation or audit event. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return 'unknown';
}

/** What a guarded mutation may do while it runs. */
export type GuardedMutation = {
  /** The caller, as recorded in the audit event and on operations. */
  readonly actor: string;
  /**
   * Decides `permission` on the catalog entity for the caller through the
   * permission framework; throws a NotAllowedError saying `refusal` when
   * denied (the audit event records the refusal).
   */
  authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    refusal: string,
  ): Promise<void>;
  /**
   * Decides a basic `permission` (one about no entity) for the caller;
   * throws a NotAllowedError saying `refusal` when denied.
   */
  authorizeBasic(permission: BasicPermission, refusal: string): Promise<void>;
  /** Adds facts to the audit event (recorded on success and on failure). */
  record(meta: Record<string, JsonValue | undefined>): void;
  /**
   * Records the request as failed although it answers normally (e.g. an
   * operation that was accepted and then failed at once).
   */
  recordFailure(error: Error): void;
};

/**
 * Runs every mutation of an environment the same way: one audit event per
 * request, with the person (or service) who asked as `actor`, the
 * permission decided for that caller on the environment's entity, and the
 * outcome — success, or the error that refused or failed it.
 */
export class EnvironmentGuard {
  static create(options: {
    permissions: PermissionsService;
    auditor: AuditorService;
  }): EnvironmentGuard {
    return new EnvironmentGuard(options.permissions, options.auditor);
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {}

  /** Whether the caller holds `permission` on the entity (no audit, no error). */
  async isAllowed(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** For each entity, whether the caller holds `permission` on it (one batch, no audit). */
  async allowedOn(
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<boolean[]> {
    if (entityRefs.length === 0) return [];
    const decisions = await this.permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  async run<T>(
    options: {
      eventId: string;
      severityLevel?: AuditorServiceEventSeverityLevel;
      request?: Request;
      credentials: BackstageCredentials;
      meta?: Record<string, JsonValue | undefined>;
    },
    mutation: (guard: GuardedMutation) => Promise<T>,
  ): Promise<T> {
    const actor = actorOf(options.credentials);
    const meta: Record<string, JsonValue | undefined> = {
      ...options.meta,
      actor,
    };
    const audit = await this.auditor.createEvent({
      eventId: options.eventId,
      severityLevel: options.severityLevel ?? 'medium',
      request: options.request,
      meta: defined(meta),
    });
    let failure: Error | undefined;
    const guard: GuardedMutation = {
      actor,
      authorize: async (permission, entityRef, refusal) => {
        meta.entityRef = entityRef;
        meta.permission = permission.name;
        if (
          !(await this.isAllowed(permission, entityRef, options.credentials))
        ) {
          throw new NotAllowedError(refusal);
        }
      },
      authorizeBasic: async (permission, refusal) => {
        meta.permission = permission.name;
        const [decision] = await this.permissions.authorize([{ permission }], {
          credentials: options.credentials,
        });
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(refusal);
        }
      },
      record: facts => Object.assign(meta, facts),
      recordFailure: error => {
        failure = error;
      },
    };
    try {
      const result = await mutation(guard);
      if (failure) {
        await audit.fail({ meta: defined(meta), error: failure });
      } else {
        await audit.success({ meta: defined(meta) });
      }
      return result;
    } catch (error) {
      await audit.fail({ meta: defined(meta), error: error as Error });
      throw error;
    }
  }
}

/** JSON objects cannot hold `undefined`. */
function defined(meta: Record<string, JsonValue | undefined>): JsonObject {
  return Object.fromEntries(
    Object.entries(meta).filter(([, v]) => v !== undefined),
  ) as JsonObject;
}
