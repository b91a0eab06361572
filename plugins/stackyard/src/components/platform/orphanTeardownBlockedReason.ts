import type { Orphan } from '@stackyard/plugin-stackyard-common';

/** Why an orphan's teardown button is blocked, or undefined when it is not. */
export function orphanTeardownBlockedReason(
  orphan: Pick<Orphan, 'protected' | 'protectionReason' | 'stackStatus'>,
  permission: { loading: boolean; allowed: boolean },
): string | undefined {
  if (orphan.protected) {
    return `Protected: ${
      orphan.protectionReason ?? 'this stack refuses teardown'
    }`;
  }
  if (orphan.stackStatus === 'DELETE_IN_PROGRESS') {
    return 'This stack is already being deleted';
  }
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed) {
    return 'Only members of the platform admin groups can tear down orphan stacks';
  }
  return undefined;
}
