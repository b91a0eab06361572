import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  stackyardEnvironmentDriftCheckPermission,
  type Environment,
  type EnvironmentDrift,
  type ResourceDrift,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { useDriftReport } from '../hooks/useDriftReport';
import { OwnersOnlyButton } from './OwnersOnlyButton';
import { Timestamp } from './Timestamp';

/** Only stacks on AWS can drift; local previews have none. */
export const canDrift = (environment: Environment) =>
  environment.targetType === 'aws' &&
  !['deleting', 'deleted'].includes(environment.status);

/** The card's mark for an environment whose last check found drift. */
export function DriftMark(props: { drift?: EnvironmentDrift }) {
  if (props.drift?.status !== 'drifted') return null;
  const n = props.drift.driftedResources ?? 0;
  return (
    <Chip
      size="small"
      color="secondary"
      data-testid="drift-mark"
      label={`Drifted: ${n} resource${n === 1 ? '' : 's'}`}
    />
  );
}

function DriftSummary(props: { drift?: EnvironmentDrift }) {
  const { drift } = props;
  if (!drift) return <>Drift not checked yet</>;
  const at = drift.checkedAt ? <Timestamp iso={drift.checkedAt} /> : null;
  switch (drift.status) {
    case 'checking':
      return (
        <>
          <CircularProgress size={12} aria-hidden /> Checking drift…
        </>
      );
    case 'in-sync':
      return <>In sync with its template (checked {at})</>;
    case 'drifted':
      return (
        <>
          {drift.driftedResources ?? 0} of its resources changed outside
          CloudFormation (checked {at})
        </>
      );
    default:
      return (
        <>
          Drift check failed{drift.reason ? `: ${drift.reason}` : ''} ({at})
        </>
      );
  }
}

const json = (value?: string) => (value === undefined ? '—' : value);

/** The drifted resources of the last check: what differs, expected vs actual. */
function DriftedResources(props: { resources: ResourceDrift[] }) {
  const drifted = props.resources.filter(r =>
    ['MODIFIED', 'DELETED'].includes(r.status),
  );
  if (drifted.length === 0) return null;
  return (
    <Table size="small" aria-label="Drifted resources">
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Drift</TableCell>
          <TableCell>Property</TableCell>
          <TableCell>Expected</TableCell>
          <TableCell>Actual</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {drifted.flatMap(r => {
          const rows = r.differences.length > 0 ? r.differences : [undefined];
          return rows.map((d, i) => (
            <TableRow
              key={`${r.logicalId}-${d?.path ?? ''}`}
              data-testid="drift-row"
            >
              <TableCell>
                {i === 0 && (
                  <>
                    <strong>{r.logicalId}</strong>{' '}
                    <Typography variant="caption" component="span">
                      {r.type}
                    </Typography>
                  </>
                )}
              </TableCell>
              <TableCell>
                {i === 0 ? r.status.toLocaleLowerCase() : ''}
              </TableCell>
              <TableCell>{d?.path ?? '—'}</TableCell>
              <TableCell>
                <code>{json(d?.expected)}</code>
              </TableCell>
              <TableCell>
                <code>{json(d?.actual)}</code>
              </TableCell>
            </TableRow>
          ));
        })}
      </TableBody>
    </Table>
  );
}

/**
 * Drift of an environment's stack on AWS: the last check's summary, a
 * "Check drift" button for the entity's owners, and the drifted
 * resources with expected vs actual properties.
 */
export function DriftPanel(props: { environment: Environment }) {
  const { environment } = props;
  const api = useApi(stackyardApiRef);
  const [started, setStarted] = useState<EnvironmentDrift>();
  const [error, setError] = useState<string>();
  const { drift, resources } = useDriftReport(environment, started);
  if (!canDrift(environment)) return null;
  const checking = drift?.status === 'checking';

  const check = async () => {
    setError(undefined);
    try {
      setStarted((await api.checkDrift(environment.id)).drift);
    } catch (e) {
      setError(`Could not check drift: ${(e as Error).message}`);
    }
  };

  return (
    <Box data-testid="drift-panel" my={1}>
      <Typography variant="body2" component="div" role="status">
        <DriftSummary drift={drift} />{' '}
        <OwnersOnlyButton
          permission={stackyardEnvironmentDriftCheckPermission}
          entityRef={environment.entityRef}
          ownersCan="check its environments for drift"
          size="small"
          variant="outlined"
          disabled={checking}
          onClick={check}
        >
          Check drift
        </OwnersOnlyButton>
      </Typography>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
      {!checking && resources && <DriftedResources resources={resources} />}
    </Box>
  );
}
