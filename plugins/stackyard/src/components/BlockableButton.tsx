import { useId } from 'react';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  blocked: {
    color: theme.palette.action.disabled,
    borderColor: theme.palette.action.disabledBackground,
    cursor: 'not-allowed',
  },
}));

/**
 * A button that, while `reason` is set, is blocked and says why: in a
 * tooltip and as its accessible description. It stays focusable
 * (aria-disabled rather than disabled) so keyboard and pointer users both
 * get the tooltip.
 */
export function BlockableButton(
  props: ButtonProps & {
    /** Why the button cannot be used now; unset when it can. */
    reason?: string;
  },
) {
  const { reason, onClick, disabled, className, ...button } = props;
  const classes = useStyles();
  const reasonId = useId();
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
