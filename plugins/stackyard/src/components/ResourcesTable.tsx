import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackConsoleUrl } from '../lib/consoleLinks';

/** Resource counts by CloudFormation type, with a link to the stack's resources in the console. */
export function ResourcesTable({ environment }: { environment: Environment }) {
  const entries = Object.entries(environment.resources).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const consoleUrl = stackConsoleUrl(environment, 'resources');
  if (entries.length === 0) {
    return <Typography variant="body2">No resources recorded.</Typography>;
  }
  return (
    <>
      <Table size="small" aria-label="Stack resources">
        <TableHead>
          <TableRow>
            <TableCell>Type</TableCell>
            <TableCell align="right">Count</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map(([type, count]) => (
            <TableRow key={type}>
              <TableCell component="th" scope="row">
                <code>{type}</code>
              </TableCell>
              <TableCell align="right">{count}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {consoleUrl && (
        <Typography variant="body2">
          <Link to={consoleUrl} target="_blank" rel="noopener noreferrer">
            Logical and physical ids in the CloudFormation console
          </Link>
        </Typography>
      )}
    </>
  );
}
