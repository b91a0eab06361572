import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import SyncIcon from '@material-ui/icons/Sync';
import DeleteSweepIcon from '@material-ui/icons/DeleteSweep';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import type { EnvironmentStatus } from '@stackyard/plugin-stackyard-common';

const labels: Record<EnvironmentStatus, string> = {
  deploying: 'Deploying',
  'awaiting-approval': 'Awaiting approval',
  ready: 'Ready',
  failed: 'Failed',
  deleting: 'Deleting',
  deleted: 'Deleted',
};

const icons: Record<EnvironmentStatus, JSX.Element> = {
  deploying: <SyncIcon aria-hidden />,
  'awaiting-approval': <HourglassEmptyIcon aria-hidden />,
  ready: <CheckCircleIcon aria-hidden />,
  failed: <ErrorIcon aria-hidden />,
  deleting: <DeleteSweepIcon aria-hidden />,
  deleted: <RemoveCircleOutlineIcon aria-hidden />,
};

// Static classes: function values in makeStyles would create a style
// sheet per badge, which is slow with many environments.
const useStyles = makeStyles<Theme>(theme => {
  const outline = (color: string) => ({
    color,
    borderColor: color,
    fontWeight: theme.typography.fontWeightBold as number,
  });
  return {
    ready: outline(theme.palette.success.main),
    failed: outline(theme.palette.error.main),
    deploying: outline(theme.palette.info.main),
    'awaiting-approval': outline(theme.palette.warning.dark),
    deleting: outline(theme.palette.warning.main),
    deleted: outline(theme.palette.text.secondary),
    icon: { color: 'inherit' },
  };
});

/** An environment's status as colour, icon and text (never colour alone). */
export function StatusBadge(props: {
  status: EnvironmentStatus;
  stackStatus?: string;
  reason?: string;
}) {
  const { status, stackStatus, reason } = props;
  const classes = useStyles();
  const detail = [stackStatus, reason].filter(Boolean).join(': ');
  const chip = (
    <Chip
      variant="outlined"
      size="small"
      icon={icons[status]}
      label={labels[status]}
      classes={{ root: classes[status], icon: classes.icon }}
      data-testid="environment-status"
    />
  );
  return detail ? (
    <Tooltip title={detail}>
      <span>{chip}</span>
    </Tooltip>
  ) : (
    chip
  );
}
