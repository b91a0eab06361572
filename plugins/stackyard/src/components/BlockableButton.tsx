import { useId } from 'react';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';

// Doubled class selectors ('&&'): Material UI's own button rules may come
// later in the page, and would win over single-class rules of the same
// specificity (the blocked label would keep its colour, a contained button
// its fill: a greyed label on dark primary, unreadable and looking usable).
const useStyles = makeStyles(theme => ({
  blocked: {
    '&&': {
      color: theme.palette.action.disabled,
      borderColor: theme.palette.action.disabledBackground,
      cursor: 'not-allowed',
    },
  },
  blockedContained: {
    '&&, &&:hover': {
      backgroundColor: theme.palette.action.disabledBackground,
      boxShadow: 'none',
    },
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
          className={
            reason
              ? [
                  classes.blocked,
                  button.variant === 'contained' && classes.blockedContained,
                ]
                  .filter(Boolean)
                  .join(' ')
              : className
          }
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
