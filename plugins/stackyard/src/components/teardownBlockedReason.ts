import type { Environment } from '@stackyard/plugin-stackyard-common';

/** Why the teardown button is disabled, or undefined when it is enabled. */
export function teardownBlockedReason(
  environment: Pick<
    Environment,
    'protected' | 'protectionReason' | 'activeOperationId' | 'status'
  >,
  permission: { loading: boolean; allowed: boolean },
): string | undefined {
  if (environment.protected) {
    return `Protected: ${
      environment.protectionReason ?? 'this environment refuses teardown'
    }`;
  }
  if (environment.activeOperationId || environment.status === 'deleting') {
    return 'An operation is in progress on this environment';
  }
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed) {
    return "You are not allowed to tear down this entity's environments; ask one of its owners";
  }
  return undefined;
}
