import { mockApis } from '@backstage/frontend-test-utils';
import type { PermissionApi } from '@backstage/plugin-permission-react';

type Options = NonNullable<Parameters<typeof mockApis.permission>[0]>;
type Decision = Exclude<NonNullable<Options['authorize']>, Function>;

const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

/** A permission API that allows, or denies, the permission named `only` (or every permission). */
export function permissionApi(allowed: boolean, only?: string): PermissionApi {
  return mockApis.permission({
    authorize: request =>
      (only === undefined || request.permission.name === only) && allowed
        ? ALLOW
        : DENY,
  });
}
