import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type {
  ActualCost,
  DailyCost,
  Environment,
} from '@stackyard/plugin-stackyard-common';
import { useEnvironmentCost } from '../hooks/useEnvironmentCost';

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

/** A 30-day sparkline of daily cost: one polyline, highest day at the top. */
export function CostSparkline(props: { days: DailyCost[] }) {
  const { days } = props;
  const width = 120;
  const height = 24;
  const max = Math.max(...days.map(d => d.usd), 0);
  const step = days.length > 1 ? width / (days.length - 1) : 0;
  const points = days
    .map((d, i) => {
      const y =
        max > 0 ? height - (d.usd / max) * (height - 2) - 1 : height - 1;
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const label = `Daily cost over ${days.length} days, from ${
    days[0]?.date ?? '—'
  } to ${days[days.length - 1]?.date ?? '—'}; highest ${usd(max)}`;
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <polyline
        points={points}
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
      />
    </svg>
  );
}

function Actual(props: { actual: ActualCost }) {
  const { actual } = props;
  if (actual.state === 'never') {
    return (
      <Typography variant="body2" color="textSecondary">
        Actual cost: not read from Cost Explorer yet
      </Typography>
    );
  }
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography variant="body2">
        Last 30 days: {usd(actual.totalUsd)}
      </Typography>
      {actual.days.length > 0 ? <CostSparkline days={actual.days} /> : null}
      {actual.state !== 'ok' ? (
        <Tooltip title={actual.message ?? ''}>
          <Typography variant="caption" color="error">
            {actual.state === 'throttled'
              ? 'Cost Explorer throttled the last refresh'
              : 'The last refresh failed'}
            {actual.refreshedAt ? `; figures of ${actual.refreshedAt}` : ''}
          </Typography>
        </Tooltip>
      ) : null}
    </Box>
  );
}

/**
 * The Infra tab's cost of one environment: the estimate of its stage's last
 * deploy (monthly fixed cost, line by line in a tooltip) and, for stacks in
 * AWS, its actual cost of the last 30 days as a sparkline.
 */
export function CostPanel(props: { environment: Environment }) {
  const { cost, error } = useEnvironmentCost(props.environment);
  if (error || !cost || (!cost.estimate && !cost.actual)) return null;
  const { estimate } = cost;
  return (
    <Box marginY={1} data-testid="cost-panel">
      {estimate ? (
        <Tooltip title={estimate.estimate.summary}>
          <Typography variant="body2">
            Estimated fixed cost ({estimate.stage}):{' '}
            {usd(estimate.estimate.monthlyUsd)}/month
            {estimate.estimate.unpriced.length > 0
              ? ` (${estimate.estimate.unpriced.length} resources not priced)`
              : ''}
          </Typography>
        </Tooltip>
      ) : null}
      {cost.actual ? <Actual actual={cost.actual} /> : null}
    </Box>
  );
}
