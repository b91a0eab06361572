import type { EnvironmentStatus } from '@stackyard/plugin-stackyard-common';

/** Stackyard's status for a CloudFormation stack status. */
export function environmentStatusOf(stackStatus: string): EnvironmentStatus {
  if (stackStatus === 'DELETE_COMPLETE') return 'deleted';
  if (stackStatus === 'DELETE_IN_PROGRESS') return 'deleting';
  if (
    stackStatus.endsWith('FAILED') ||
    stackStatus.endsWith('ROLLBACK_COMPLETE')
  ) {
    return 'failed';
  }
  if (stackStatus.endsWith('IN_PROGRESS')) return 'deploying';
  return 'ready';
}
