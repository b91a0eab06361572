import { useId } from 'react';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { usePermission } from '@backstage/plugin-permission-react';
import type { stackyardEnvironmentExtendPermission } from '@stackyard/plugin-stackyard-common';

const useStyles = makeStyles(theme => ({
  blocked: {
    color: theme.palette.action.disabled,
    borderColor: theme.palette.action.disabledBackground,
    cursor: 'not-allowed',
  },
}));

/** Why an owners-only button is blocked, or undefined when it is not. */
function ownersOnlyReason(
  entityRef: string,
  ownersCan: string,
  permission: { loading: boolean; allowed: boolean },
): string | undefined {
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed)
    return `Only the owners of ${entityRef} can ${ownersCan}`;
  return undefined;
}

/**
 * A button for a change only the entity's owners may make (the backend
 * refuses everyone else with 403). For anyone else it stays visible but
 * blocked, saying who can in a tooltip and to screen readers; it stays
 * focusable (aria-disabled rather than disabled) so keyboard and pointer
 * users both get the tooltip, as the teardown button does.
 */
export function OwnersOnlyButton(
  props: ButtonProps & {
    /** A Stackyard permission on the entity (extend, socket manage, ...). */
    permission: typeof stackyardEnvironmentExtendPermission;
    entityRef: string;
    /** What the owners can do, completing "Only the owners of X can …". */
    ownersCan: string;
  },
) {
  const {
    permission,
    entityRef,
    ownersCan,
    onClick,
    disabled,
    className,
    ...button
  } = props;
  const classes = useStyles();
  const reasonId = useId();
  const reason = ownersOnlyReason(
    entityRef,
    ownersCan,
    usePermission({ permission, resourceRef: entityRef }),
  );
  return (
    <>
      <Tooltip title={reason ?? ''}>
        <Button
          {...button}
          disabled={reason ? undefined : disabled}
          aria-disabled={reason ? true : undefined}
          aria-describedby={reason ? reasonId : undefined}
          className={reason ? classes.blocked : className}
          onClick={reason ? undefined : onClick}
        />
      </Tooltip>
      {reason && (
        <span id={reasonId} hidden>
          {reason}
        </span>
      )}
    </>
  );
}
