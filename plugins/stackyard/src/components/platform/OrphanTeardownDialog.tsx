import { useApi } from '@backstage/core-plugin-api';
import type { Orphan } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../../api/StackyardApi';
import { StackTeardownDialog } from '../StackTeardownDialog';

/**
 * Confirms an orphan stack's teardown by having the user type its name,
 * then follows the operation. The backend's refusal (403 for non-admins,
 * 409 for protected stacks) is shown as is.
 */
export function OrphanTeardownDialog(props: {
  orphan: Orphan;
  onClose: () => void;
  /** How often a running teardown is checked. */
  progressIntervalMs?: number;
}) {
  const { orphan } = props;
  const api = useApi(stackyardApiRef);
  const where = [orphan.accountId, orphan.region].filter(Boolean).join(' in ');
  return (
    <StackTeardownDialog
      id={orphan.id}
      stackName={orphan.stackName}
      description={`This deletes the CloudFormation stack ${orphan.stackName}${
        where ? ` (account ${where})` : ''
      } and every resource it owns that is not retained. No catalog entity owns it; no owner will be asked.`}
      requestTeardown={() => api.teardownOrphan(orphan.id)}
      onClose={props.onClose}
      progressIntervalMs={props.progressIntervalMs}
    />
  );
}
