import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { StackEvent } from '@stackyard/plugin-stackyard-common';
import { Timestamp } from './Timestamp';

/** How many events are listed. */
const SHOWN = 20;

/** The newest stack events, newest first. */
export function EventsList({ events }: { events: StackEvent[] }) {
  if (events.length === 0) {
    return <Typography variant="body2">No stack events yet.</Typography>;
  }
  const newest = [...events]
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
    .slice(0, SHOWN);
  return (
    <Table size="small" aria-label="Recent stack events">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Resource</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Reason</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newest.map(event => (
          <TableRow key={event.eventId} data-testid="stack-event">
            <TableCell>
              <Timestamp iso={event.timestamp} />
            </TableCell>
            <TableCell>
              {event.logicalResourceId ?? ''}
              {event.resourceType ? (
                <Typography variant="caption" display="block">
                  {event.resourceType}
                </Typography>
              ) : null}
            </TableCell>
            <TableCell>{event.resourceStatus ?? ''}</TableCell>
            <TableCell>{event.statusReason ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
