/**
 * Stand-ins for the services the portal's backend gives the actions, which
 * the benchmark does not measure: permissions and auth.
 */
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * A PermissionsService that allows every request: a bench stand-in (the
 * permission policy is not what is measured). Records each request and the
 * user it was made for, so runs can check the deploy permission was asked.
 */
export function allowAllPermissions() {
  const requests: {
    permission: string;
    resourceRef?: string;
    user?: string;
  }[] = [];
  const allow = async (
    batch: readonly { permission: { name: string }; resourceRef?: string }[],
    options: { credentials: BackstageCredentials },
  ) => {
    const principal = options.credentials.principal as {
      userEntityRef?: string;
    };
    for (const r of batch) {
      requests.push({
        permission: r.permission.name,
        resourceRef: r.resourceRef,
        user: principal.userEntityRef,
      });
    }
    return batch.map(() => ({ result: AuthorizeResult.ALLOW }));
  };
  const service = {
    authorize: allow,
    authorizeConditional: allow,
  } as unknown as PermissionsService;
  return { service, requests };
}

/** Permission requests recorded by `allowAllPermissions`. */
export type PermissionRequests = ReturnType<
  typeof allowAllPermissions
>['requests'];

/** An AuthService that issues a fixed token. */
export const fixedTokenAuth = () =>
  ({
    getPluginRequestToken: async () => ({ token: 'bench-token' }),
  } as unknown as AuthService);
