import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardApiRef } from '../../api/StackyardApi';

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

/**
 * Actual cost of the last 30 days per cost center, over the environments in
 * AWS, from the backend's last Cost Explorer refresh of each account.
 */
export function CostCentersSection() {
  const api = useApi(stackyardApiRef);
  const totals = useAsync(() => api.getCostCenterTotals(), [api]);
  return (
    <Box
      component="section"
      aria-labelledby="platform-cost-centers"
      marginY={3}
    >
      <Typography variant="h5" component="h2" id="platform-cost-centers">
        Cost per cost center
      </Typography>
      {totals.loading && <LinearProgress aria-label="Loading costs" />}
      {totals.error && (
        <Alert severity="error">
          Could not load the costs: {totals.error.message}
        </Alert>
      )}
      {totals.value && (
        <>
          <Typography variant="body2" color="textSecondary" paragraph>
            Last {totals.value.days} days, from Cost Explorer
            {totals.value.refreshedAt
              ? ` (read ${totals.value.refreshedAt})`
              : ' (not read yet)'}
            {totals.value.stale.length > 0
              ? `; the last refresh of ${totals.value.stale.join(
                  ', ',
                )} failed, their previous figures are used`
              : ''}
          </Typography>
          <Table size="small" aria-label="Cost per cost center">
            <TableHead>
              <TableRow>
                <TableCell>Cost center</TableCell>
                <TableCell align="right">Environments</TableCell>
                <TableCell align="right">Cost</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {totals.value.items.map(item => (
                <TableRow key={item.costCenter}>
                  <TableCell>{item.costCenter}</TableCell>
                  <TableCell align="right">{item.environments}</TableCell>
                  <TableCell align="right">{usd(item.totalUsd)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
