import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import WarningIcon from '@material-ui/icons/Warning';
import LinkOffIcon from '@material-ui/icons/LinkOff';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { absoluteTime, relativeTime } from '../../lib/time';

/**
 * What a platform team should look at: the stack drifted from its template,
 * or the catalog no longer has the entity it belongs to. Nothing when
 * neither.
 */
export function EnvironmentMarks(props: {
  environment: Pick<Environment, 'drift' | 'entityMissingSince' | 'entityRef'>;
}) {
  const { drift, entityMissingSince, entityRef } = props.environment;
  const drifted = drift?.status === 'drifted';
  if (!drifted && !entityMissingSince) return null;
  const resources = drift?.driftedResources;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {drifted && (
        <Tooltip
          title={
            drift?.checkedAt
              ? `Drift found ${absoluteTime(drift.checkedAt)}`
              : 'Drift found'
          }
        >
          <Chip
            size="small"
            variant="outlined"
            icon={<WarningIcon aria-hidden />}
            label={
              resources === undefined
                ? 'Drifted'
                : `Drifted: ${resources} resource${resources === 1 ? '' : 's'}`
            }
            data-testid="drift-mark"
          />
        </Tooltip>
      )}
      {entityMissingSince && (
        <Tooltip
          title={`The catalog has had no ${entityRef} since ${absoluteTime(
            entityMissingSince,
          )} (${relativeTime(
            entityMissingSince,
          )}); the stack is kept until someone tears it down.`}
        >
          <Chip
            size="small"
            variant="outlined"
            icon={<LinkOffIcon aria-hidden />}
            label="Entity missing from the catalog"
            data-testid="entity-missing-mark"
          />
        </Tooltip>
      )}
    </Box>
  );
}
