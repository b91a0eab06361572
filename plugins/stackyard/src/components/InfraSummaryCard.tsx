import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { EnvironmentStatus } from '@stackyard/plugin-stackyard-common';
import { useEnvironments } from '../hooks/useEnvironments';
import { countAlarms } from '../lib/alarms';

const order: EnvironmentStatus[] = [
  'ready',
  'deploying',
  'awaiting-approval',
  'failed',
  'deleting',
];

/** Overview card: how many environments, in which states, and alarms firing. */
export function InfraSummaryCard() {
  const { entity } = useEntity();
  const { loading, error, environments } = useEnvironments(
    stringifyEntityRef(entity),
  );
  let body: JSX.Element;
  if (loading && environments.length === 0) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Typography role="alert" color="error">
        Could not load environments: {error.message}
      </Typography>
    );
  } else {
    const live = environments.filter(e => e.status !== 'deleted');
    const counts = order
      .map(
        status =>
          [status, live.filter(e => e.status === status).length] as const,
      )
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`);
    const firing = live.reduce(
      (sum, e) => sum + countAlarms(e.alarms).ALARM,
      0,
    );
    body = (
      <>
        <Typography variant="body1" data-testid="infra-summary">
          {live.length === 0
            ? 'No environments.'
            : `${live.length} environment${
                live.length === 1 ? '' : 's'
              }: ${counts.join(', ')}`}
        </Typography>
        <Typography
          variant="body2"
          color={firing > 0 ? 'error' : 'textSecondary'}
        >
          {firing === 0
            ? 'No alarms firing.'
            : `${firing} alarm${firing === 1 ? '' : 's'} firing`}
        </Typography>
      </>
    );
  }
  return <InfoCard title="Infrastructure">{body}</InfoCard>;
}
