import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Environment } from '@stackyard/plugin-stackyard-common';

/**
 * Resource counts by CloudFormation type: all that is known of a stack
 * whose deployment recorded no resource list.
 */
export function ResourceCounts({ environment }: { environment: Environment }) {
  const entries = Object.entries(environment.resources).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (entries.length === 0) {
    return <Typography variant="body2">No resources recorded.</Typography>;
  }
  return (
    <Table size="small" aria-label="Resource counts by type">
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
  );
}
