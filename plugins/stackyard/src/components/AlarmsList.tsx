import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type {
  Environment,
  EnvironmentAlarm,
} from '@stackyard/plugin-stackyard-common';
import { alarmConsoleUrl } from '../lib/consoleLinks';
import { countAlarms, sortAlarms } from '../lib/alarms';
import { AlarmState } from './AlarmState';

/** How many alarms are listed before "Show all". */
const SHOWN = 5;

/** Alarm counts, then the alarms, most severe first, with console links. */
export function AlarmsList({ environment }: { environment: Environment }) {
  const [expanded, setExpanded] = useState(false);
  const { alarms } = environment;
  if (alarms.length === 0) {
    return <Typography variant="body2">No alarms.</Typography>;
  }
  const counts = countAlarms(alarms);
  const sorted = sortAlarms(alarms);
  const shown = expanded ? sorted : sorted.slice(0, SHOWN);
  return (
    <>
      <Typography variant="body2" data-testid="alarm-counts">
        {counts.ALARM} in alarm · {counts.INSUFFICIENT_DATA} insufficient data ·{' '}
        {counts.OK} OK
      </Typography>
      <Table size="small" aria-label="Alarms">
        <TableHead>
          <TableRow>
            <TableCell>State</TableCell>
            <TableCell>Alarm</TableCell>
            <TableCell>Reason</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(alarm => (
            <AlarmRow
              key={alarm.name}
              environment={environment}
              alarm={alarm}
            />
          ))}
        </TableBody>
      </Table>
      {sorted.length > SHOWN && (
        <Button size="small" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer alarms' : `Show all ${sorted.length} alarms`}
        </Button>
      )}
    </>
  );
}

function AlarmRow(props: {
  environment: Environment;
  alarm: EnvironmentAlarm;
}) {
  const { environment, alarm } = props;
  const url = alarmConsoleUrl(environment, alarm.name);
  return (
    <TableRow data-testid="alarm-row">
      <TableCell>
        <AlarmState state={alarm.state} />
      </TableCell>
      <TableCell>
        {url ? (
          <Link to={url} target="_blank" rel="noopener noreferrer">
            {alarm.name}
          </Link>
        ) : (
          alarm.name
        )}
        {alarm.type === 'composite' ? ' (composite)' : ''}
      </TableCell>
      <TableCell>{alarm.reason ?? ''}</TableCell>
    </TableRow>
  );
}
