import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import type { PreviewSocketFrame } from '@stackyard/plugin-stackyard-common';
import { Timestamp } from './Timestamp';

/** How many frames are listed. */
export const FRAMES_SHOWN = 20;

function Direction({
  direction,
}: {
  direction: PreviewSocketFrame['direction'];
}) {
  const Icon = direction === 'in' ? ArrowDownwardIcon : ArrowUpwardIcon;
  return (
    <Typography
      variant="body2"
      component="span"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
    >
      <Icon fontSize="small" aria-hidden />
      {direction === 'in' ? 'in (from client)' : 'out (to client)'}
    </Typography>
  );
}

/** The newest frames of a preview socket API, newest first. */
export function PreviewSocketFrames({
  frames,
}: {
  frames: PreviewSocketFrame[];
}) {
  if (frames.length === 0) {
    return <Typography variant="body2">No frames yet.</Typography>;
  }
  const newest = frames.slice(-FRAMES_SHOWN).reverse();
  return (
    <Table size="small" aria-label="Recent frames">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Direction</TableCell>
          <TableCell>Connection</TableCell>
          <TableCell>Route</TableCell>
          <TableCell>Preview</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newest.map((frame, index) => (
          <TableRow
            key={`${frame.at}-${frame.connectionId}-${index}`}
            data-testid="socket-frame"
          >
            <TableCell>
              <Timestamp iso={frame.at} />
            </TableCell>
            <TableCell>
              <Direction direction={frame.direction} />
            </TableCell>
            <TableCell>
              <code>{frame.connectionId}</code>
            </TableCell>
            <TableCell>{frame.routeKey ?? ''}</TableCell>
            <TableCell style={{ wordBreak: 'break-all' }}>
              <code>{frame.preview}</code>
              <Typography variant="caption" display="block">
                {frame.isBinary ? 'binary (base64), ' : ''}
                {frame.size} B
              </Typography>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
