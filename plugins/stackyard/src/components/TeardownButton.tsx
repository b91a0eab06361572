import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import DeleteIcon from '@material-ui/icons/Delete';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  stackyardEnvironmentDeletePermission,
  type Environment,
} from '@stackyard/plugin-stackyard-common';
import { makeStyles } from '@material-ui/core/styles';
import { teardownBlockedReason } from './teardownBlockedReason';

const useStyles = makeStyles(theme => ({
  blocked: {
    color: theme.palette.action.disabled,
    borderColor: theme.palette.action.disabledBackground,
    cursor: 'not-allowed',
  },
}));

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
  const classes = useStyles();
  const permission = usePermission({
    permission: stackyardEnvironmentDeletePermission,
    resourceRef: environment.entityRef,
  });
  if (environment.status === 'deleted') return null;
  const reason = teardownBlockedReason(environment, permission);
  const reasonId = `teardown-reason-${environment.id}`;
  // Blocked, the button stays focusable (aria-disabled rather than
  // disabled) so keyboard and pointer users both get the tooltip.
  return (
    <>
      <Tooltip title={reason ?? ''}>
        <Button
          variant="outlined"
          color={reason ? 'default' : 'secondary'}
          size="small"
          startIcon={<DeleteIcon aria-hidden />}
          aria-disabled={reason ? true : undefined}
          aria-describedby={reason ? reasonId : undefined}
          className={reason ? classes.blocked : undefined}
          onClick={() => {
            if (!reason) onTeardown(environment);
          }}
        >
          Tear down
        </Button>
      </Tooltip>
      {reason && (
        <span id={reasonId} hidden>
          {reason}
        </span>
      )}
    </>
  );
}
