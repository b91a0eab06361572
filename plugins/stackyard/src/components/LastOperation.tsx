import Typography from '@material-ui/core/Typography';
import type { Operation } from '@stackyard/plugin-stackyard-common';
import { Timestamp } from './Timestamp';

const stateWords: Record<Operation['state'], string> = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
};

/**
 * "Last operation: teardown by user:default/ada, 5 minutes ago — succeeded".
 * A deploy held for approval finished its part (the change set is made)
 * but executed nothing, so it does not read as succeeded.
 */
export function LastOperation({
  operation,
  awaitingApproval,
}: {
  operation?: Operation;
  awaitingApproval?: boolean;
}) {
  if (!operation) {
    return <Typography variant="body2">No operations recorded.</Typography>;
  }
  return (
    <Typography variant="body2" data-testid="last-operation">
      Last operation: {operation.type} by {operation.actor},{' '}
      <Timestamp iso={operation.finishedAt ?? operation.updatedAt} /> —{' '}
      {awaitingApproval && operation.state === 'succeeded'
        ? 'held for approval, nothing executed yet'
        : stateWords[operation.state]}
      {operation.error ? `: ${operation.error}` : ''}
    </Typography>
  );
}
