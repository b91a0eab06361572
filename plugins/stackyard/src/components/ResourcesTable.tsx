import { useState } from 'react';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type {
  Environment,
  StackResource,
} from '@stackyard/plugin-stackyard-common';
import { useStackResources } from '../hooks/useStackResources';
import { resourceConsoleUrl, stackConsoleUrl } from '../lib/consoleLinks';
import { ResourceCounts } from './ResourceCounts';
import { Timestamp } from './Timestamp';

/** Rows per page before the list is paginated. */
export const RESOURCES_PER_PAGE = 10;

// Types, logical ids and link labels stay on one line; the long physical
// ids wrap instead.
const noWrap = { whiteSpace: 'nowrap' } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function ConsoleLink(props: {
  environment: Environment;
  resource: StackResource;
}) {
  const { environment, resource } = props;
  const link = resourceConsoleUrl(environment, resource);
  if (!link) return null;
  return (
    <Link
      to={link.url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={`${resource.logicalId} in the AWS console${
        link.perResource ? '' : ' (stack resources)'
      }`}
    >
      {link.perResource ? 'Console' : 'Stack resources'}
    </Link>
  );
}

function PhysicalId({ resource }: { resource: StackResource }) {
  const settled = !resource.status || /_COMPLETE$/.test(resource.status);
  return (
    <>
      {resource.physicalId ? (
        <code>{resource.physicalId}</code>
      ) : (
        <span>
          <span aria-hidden>—</span> not deployed
        </span>
      )}
      {!settled && (
        <Typography
          variant="caption"
          display="block"
          title={resource.statusReason}
        >
          {resource.status}
        </Typography>
      )}
    </>
  );
}

/**
 * Every resource of the environment's stack: type, logical id, physical id
 * ("not deployed" for local previews) and a console link, per resource
 * where the console has a page for its type. Long lists are paginated.
 */
export function ResourcesTable(props: {
  environment: Environment;
  revision: number;
}) {
  const { environment, revision } = props;
  const { value, error, loading, retry } = useStackResources(
    environment.id,
    revision,
  );
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(RESOURCES_PER_PAGE);

  if (error) {
    return (
      <>
        <Typography role="alert" color="error" variant="body2">
          Could not load the resources: {error.message}
        </Typography>
        <Button size="small" onClick={retry}>
          Retry
        </Button>
      </>
    );
  }
  if (!value) {
    return loading ? <LinearProgress aria-label="Loading resources" /> : null;
  }
  const items = value.items;
  if (items.length === 0) {
    // Deployments recorded before resource lists existed have counts only.
    return <ResourceCounts environment={environment} />;
  }
  const types = new Set(items.map(r => r.type)).size;
  const lastPage = Math.max(0, Math.ceil(items.length / perPage) - 1);
  const current = Math.min(page, lastPage);
  const shown = items.slice(current * perPage, (current + 1) * perPage);
  const stackUrl = stackConsoleUrl(environment, 'resources');
  return (
    <>
      <Typography variant="body2" data-testid="resources-summary">
        {plural(items.length, 'resource')} of {plural(types, 'type')}
        {value.source === 'synthesized' ? ' (as synthesized)' : ''}
        {stackUrl && (
          <>
            {' · '}
            <Link to={stackUrl} target="_blank" rel="noopener noreferrer">
              All in the CloudFormation console
            </Link>
          </>
        )}
      </Typography>
      {value.staleReason && (
        <Typography role="status" variant="body2" color="textSecondary">
          Showing the list read{' '}
          {value.fetchedAt ? <Timestamp iso={value.fetchedAt} /> : 'earlier'}:{' '}
          {value.staleReason}
        </Typography>
      )}
      <Table size="small" aria-label="Stack resources">
        <TableHead>
          <TableRow>
            <TableCell>Type</TableCell>
            <TableCell>Logical ID</TableCell>
            <TableCell>Physical ID</TableCell>
            <TableCell style={noWrap}>Console</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(resource => (
            <TableRow key={resource.logicalId} data-testid="resource-row">
              <TableCell style={noWrap}>
                <code>{resource.type}</code>
              </TableCell>
              <TableCell data-testid="resource-logical-id" style={noWrap}>
                {resource.logicalId}
              </TableCell>
              <TableCell style={{ wordBreak: 'break-all' }}>
                <PhysicalId resource={resource} />
              </TableCell>
              <TableCell style={noWrap}>
                <ConsoleLink environment={environment} resource={resource} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.length > RESOURCES_PER_PAGE && (
        <TablePagination
          component="div"
          count={items.length}
          page={current}
          rowsPerPage={perPage}
          rowsPerPageOptions={[RESOURCES_PER_PAGE, 25, 50, 100]}
          onPageChange={(_, next) => setPage(next)}
          onRowsPerPageChange={event => {
            setPerPage(Number(event.target.value));
            setPage(0);
          }}
          labelRowsPerPage="Resources per page"
        />
      )}
    </>
  );
}
