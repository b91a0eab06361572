import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Decides a resource permission for the task's initiator (their
 * credentials from `ctx.getInitiatorCredentials()`) through the permission
 * framework, and throws a NotAllowedError with `refusal` unless it is
 * allowed on at least one of `resourceRefs` (asked in one batch, e.g. an
 * entity and the template it was made from). Every action that changes
 * something on a person's behalf checks it here, before changing anything.
 */
export async function authorizeInitiator(options: {
  permissions: PermissionsService;
  initiator: BackstageCredentials;
  permission: ResourcePermission;
  resourceRefs: readonly string[];
  refusal: string;
}): Promise<void> {
  const decisions = await options.permissions.authorize(
    options.resourceRefs.map(resourceRef => ({
      permission: options.permission,
      resourceRef,
    })),
    { credentials: options.initiator },
  );
  if (!decisions.some(d => d.result === AuthorizeResult.ALLOW)) {
    throw new NotAllowedError(options.refusal);
  }
}
