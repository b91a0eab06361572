import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { useInfraTabLink } from '../../hooks/useInfraTabLink';
import { useLiveEnvironment } from '../../hooks/useLiveEnvironment';
import { StatusBadge } from '../StatusBadge';
import { Timestamp } from '../Timestamp';
import { EnvironmentMarks } from './EnvironmentMarks';
import { usePlatformTableStyles } from './platformTableStyles';

const where = (environment: Environment) =>
  [environment.target, environment.accountId, environment.region]
    .filter(Boolean)
    .join(' · ');

/**
 * One row per environment, of any entity: the stack (linked to its
 * entity's Infra tab), where it runs, status, template, cost center,
 * expiry, and drift / missing-entity marks. Rows follow their entity's
 * live updates.
 */
export function PlatformEnvironmentsTable(props: {
  environments: Environment[];
}) {
  const classes = usePlatformTableStyles();
  return (
    <Table size="small" aria-label="Environments" className={classes.table}>
      <TableHead>
        <TableRow>
          <TableCell>Stack</TableCell>
          <TableCell>Entity</TableCell>
          <TableCell>Where</TableCell>
          <TableCell>Stage</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Template</TableCell>
          <TableCell>Cost center</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>Marks</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.environments.map(environment => (
          <PlatformEnvironmentRow
            key={environment.id}
            environment={environment}
          />
        ))}
      </TableBody>
    </Table>
  );
}

/** One environment's row, kept live by its entity's signals. */
function PlatformEnvironmentRow(props: { environment: Environment }) {
  const environment = useLiveEnvironment(props.environment);
  const link = useInfraTabLink()(environment.entityRef);
  const classes = usePlatformTableStyles();
  return (
    <TableRow data-testid="platform-environment">
      <TableCell className={classes.nowrap}>
        {link ? (
          <Link to={link}>{environment.stackName}</Link>
        ) : (
          environment.stackName
        )}
      </TableCell>
      <TableCell>
        <Typography variant="body2" component="span">
          {environment.entityRef}
        </Typography>
      </TableCell>
      <TableCell>
        {environment.targetType === 'local'
          ? `${environment.target} (local preview)`
          : where(environment)}
      </TableCell>
      <TableCell>{environment.stage}</TableCell>
      <TableCell>
        <StatusBadge
          status={environment.status}
          stackStatus={environment.stackStatus}
          reason={environment.statusReason}
        />
      </TableCell>
      <TableCell>
        {environment.templateName
          ? [environment.templateName, environment.templateVersion]
              .filter(Boolean)
              .join(' ')
          : '—'}
      </TableCell>
      <TableCell>{environment.costCenter ?? '—'}</TableCell>
      <TableCell>
        {environment.expiresAt ? (
          <Timestamp iso={environment.expiresAt} />
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        <EnvironmentMarks environment={environment} />
      </TableCell>
    </TableRow>
  );
}
