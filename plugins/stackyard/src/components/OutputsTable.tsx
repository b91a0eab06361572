import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';

const isWebUrl = (value: string) => /^https?:\/\/\S+$/i.test(value);
const isSocketUrl = (value: string) => /^wss?:\/\/\S+$/i.test(value);

function OutputValue({ value }: { value: string }) {
  if (isWebUrl(value)) {
    return (
      <Link to={value} target="_blank" rel="noopener noreferrer">
        {value}
      </Link>
    );
  }
  if (isSocketUrl(value)) {
    return (
      <>
        <code>{value}</code>{' '}
        <Typography component="span" variant="caption">
          (WebSocket API)
        </Typography>
      </>
    );
  }
  return <code>{value}</code>;
}

/** A stack's outputs; web URLs are links, WebSocket URLs are labelled. */
export function OutputsTable({ outputs }: { outputs: Record<string, string> }) {
  const entries = Object.entries(outputs).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (entries.length === 0) {
    return <Typography variant="body2">No outputs.</Typography>;
  }
  return (
    <Table size="small" aria-label="Stack outputs">
      <TableBody>
        {entries.map(([key, value]) => (
          <TableRow key={key}>
            <TableCell component="th" scope="row">
              {key}
            </TableCell>
            <TableCell>
              <OutputValue value={value} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
