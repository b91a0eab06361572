import DeleteIcon from '@material-ui/icons/Delete';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  stackyardOrphanDeletePermission,
  type Orphan,
} from '@stackyard/plugin-stackyard-common';
import { BlockableButton } from '../BlockableButton';
import { orphanTeardownBlockedReason } from './orphanTeardownBlockedReason';

/**
 * Asks for an orphan's teardown (the caller opens the confirm dialog);
 * blocked, saying why, for protected stacks and for users without
 * `stackyard.orphan.delete`.
 */
export function OrphanTeardownButton(props: {
  orphan: Orphan;
  onTeardown: (orphan: Orphan) => void;
}) {
  const { orphan, onTeardown } = props;
  const permission = usePermission({
    permission: stackyardOrphanDeletePermission,
  });
  const reason = orphanTeardownBlockedReason(orphan, permission);
  return (
    <BlockableButton
      reason={reason}
      variant="outlined"
      color={reason ? 'default' : 'secondary'}
      size="small"
      startIcon={<DeleteIcon aria-hidden />}
      aria-label={`Tear down ${orphan.stackName}`}
      onClick={() => onTeardown(orphan)}
    >
      Tear down
    </BlockableButton>
  );
}
