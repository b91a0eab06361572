import DeleteIcon from '@material-ui/icons/Delete';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  stackyardEnvironmentDeletePermission,
  type Environment,
} from '@stackyard/plugin-stackyard-common';
import { BlockableButton } from './BlockableButton';
import { teardownBlockedReason } from './teardownBlockedReason';

/**
 * Asks for a teardown (the caller opens the confirm dialog); blocked, with the reason in a tooltip (and
 * for screen readers), when the environment is protected, busy, or the
 * user may not tear it down.
 */
export function TeardownButton(props: {
  environment: Environment;
  onTeardown: (environment: Environment) => void;
}) {
  const { environment, onTeardown } = props;
  const permission = usePermission({
    permission: stackyardEnvironmentDeletePermission,
    resourceRef: environment.entityRef,
  });
  if (environment.status === 'deleted') return null;
  const reason = teardownBlockedReason(environment, permission);
  return (
    <BlockableButton
      reason={reason}
      variant="outlined"
      color={reason ? 'default' : 'secondary'}
      size="small"
      startIcon={<DeleteIcon aria-hidden />}
      onClick={() => onTeardown(environment)}
    >
      Tear down
    </BlockableButton>
  );
}
