import { useApi } from '@backstage/core-plugin-api';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { StackTeardownDialog } from './StackTeardownDialog';

/**
 * Confirms an environment's teardown by having the user type the stack
 * name, then follows the operation until it finishes. The backend's
 * refusal is shown as is.
 */
export function TeardownDialog(props: {
  environment: Environment;
  onClose: () => void;
  /** How often a running teardown is checked. @default PROGRESS_INTERVAL_MS */
  progressIntervalMs?: number;
}) {
  const { environment } = props;
  const api = useApi(stackyardApiRef);
  return (
    <StackTeardownDialog
      id={environment.id}
      stackName={environment.stackName}
      description={
        environment.targetType === 'local'
          ? 'This removes the local preview.'
          : `This deletes the CloudFormation stack ${environment.stackName} and every resource it owns that is not retained.`
      }
      requestTeardown={() => api.teardown(environment.id)}
      onClose={props.onClose}
      progressIntervalMs={props.progressIntervalMs}
    />
  );
}
