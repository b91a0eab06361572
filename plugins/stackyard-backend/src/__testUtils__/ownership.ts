import { mockServices } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * A permissions service deciding as the portal's policy does: Stackyard's
 * permissions are granted on an entity to its owners (here: the users listed
 * for it), and to service principals (the permission framework lets
 * services through). Records every decision it made.
 */
export function permissionsByOwnership(owners: Record<string, string[]>) {
  const decisions: {
    permission: string;
    entityRef?: string;
    user?: string;
    result: AuthorizeResult;
  }[] = [];
  const decide = (
    credentials: BackstageCredentials,
    permission: string,
    entityRef?: string,
  ) => {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    let result: AuthorizeResult = AuthorizeResult.DENY;
    if (principal.type === 'service') result = AuthorizeResult.ALLOW;
    else if (
      principal.type === 'user' &&
      entityRef &&
      owners[entityRef.toLocaleLowerCase('en-US')]?.includes(
        principal.userEntityRef ?? '',
      )
    ) {
      result = AuthorizeResult.ALLOW;
    }
    decisions.push({
      permission,
      entityRef,
      user: principal.userEntityRef,
      result,
    });
    return result;
  };
  const permissions: PermissionsService = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(r => ({
        result: decide(
          credentials,
          r.permission.name,
          'resourceRef' in r ? r.resourceRef : undefined,
        ),
      })) as any,
  });
  return { permissions, decisions };
}
