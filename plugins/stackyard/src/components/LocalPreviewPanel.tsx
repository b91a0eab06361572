import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  PreviewLogs,
  stackyardEnvironmentInvokePermission,
} from '@stackyard/plugin-stackyard-common';
import { usePreviewLogs } from '../hooks/usePreviewLogs';
import { InvokeFunctionDialog } from './InvokeFunctionDialog';
import { OwnersOnlyButton } from './OwnersOnlyButton';

const STATE_LABELS: Record<PreviewLogs['state'], string> = {
  sleeping: 'sleeping — starts on the next connection or invoke',
  starting: 'starting',
  running: 'running',
  restarting: 'restarting',
  failed: 'failed',
};

type PreviewQueueDepth = PreviewLogs['queues'][number];

/**
 * What a dead-letter queue receives the failures of: the queues that redrive
 * into it and the functions whose DeadLetterConfig names it ("jobs",
 * "function intake"); empty for a queue that is no dead-letter queue.
 */
function deadLetterSources(
  queue: PreviewQueueDepth,
  queues: readonly PreviewQueueDepth[],
): string[] {
  const functions = queue.dlqOfFunctions ?? [];
  const noun = functions.length === 1 ? 'function' : 'functions';
  return [
    ...queues.filter(q => q.dlq === queue.name).map(q => q.name),
    ...(functions.length > 0 ? [`${noun} ${functions.join(', ')}`] : []),
  ];
}

function Counts(props: { logs: PreviewLogs }) {
  const { queues, tables } = props.logs;
  if (queues.length === 0 && tables.length === 0) return null;
  return (
    <Table size="small" aria-label="Queues and tables">
      <TableHead>
        <TableRow>
          <TableCell>Queue or table</TableCell>
          <TableCell align="right">Messages waiting / items</TableCell>
          <TableCell align="right">In flight</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {queues.map(q => {
          const sources = deadLetterSources(q, queues);
          // A message in a dead-letter queue is a job that failed for good.
          const failed = sources.length > 0 && q.visible + q.inFlight > 0;
          return (
            <TableRow key={`q-${q.name}`}>
              <TableCell>
                {sources.length > 0
                  ? `dead-letter queue ${q.name} (of ${sources.join(', ')})`
                  : `queue ${q.name}`}
                {q.dlq ? ` (dead letters: ${q.dlq})` : ''}
              </TableCell>
              <TableCell align="right">
                <Typography
                  variant="body2"
                  component="span"
                  color={failed ? 'error' : 'inherit'}
                >
                  {q.visible}
                </Typography>
              </TableCell>
              <TableCell align="right">{q.inFlight}</TableCell>
            </TableRow>
          );
        })}
        {tables.map(t => (
          <TableRow key={`t-${t.name}`}>
            <TableCell>table {t.name}</TableCell>
            <TableCell align="right">{t.items}</TableCell>
            <TableCell align="right">—</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function FunctionLogs(props: { logs: PreviewLogs }) {
  const withLines = props.logs.functions.filter(f => f.lines.length > 0);
  if (withLines.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No console output yet.
      </Typography>
    );
  }
  return (
    <>
      {withLines.map(f => (
        <Box key={f.name} mt={1}>
          <Typography variant="body2" component="h5">
            <strong>{f.name}</strong>
          </Typography>
          <pre
            aria-label={`Recent log lines of ${f.name}`}
            style={{
              whiteSpace: 'pre-wrap',
              maxHeight: 200,
              overflow: 'auto',
              margin: 0,
            }}
          >
            {f.lines
              .map(
                l =>
                  `${l.at.slice(11, 19)} ${l.stream === 'stderr' ? '!' : ' '} ${
                    l.text
                  }`,
              )
              .join('\n')}
          </pre>
        </Box>
      ))}
    </>
  );
}

/**
 * A local preview as it runs: its state, an Invoke button (for the
 * entity's owners), queue depths and table item counts, and the last lines
 * of each function's console output, refreshed every few seconds.
 */
export function LocalPreviewPanel(props: {
  environmentId: string;
  entityRef: string;
  pollIntervalMs?: number;
}) {
  const { environmentId, entityRef, pollIntervalMs } = props;
  const { logs, forbidden, error, refresh } = usePreviewLogs(
    environmentId,
    pollIntervalMs,
  );
  const [invoking, setInvoking] = useState(false);
  const headingId = `local-preview-${environmentId}`;
  return (
    <Box component="section" aria-labelledby={headingId} mt={2}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle2" component="h4" id={headingId}>
          Local preview
        </Typography>
        {logs && (
          <Chip
            size="small"
            label={STATE_LABELS[logs.state]}
            data-testid="preview-state"
          />
        )}
        <Box flexGrow={1} />
        <OwnersOnlyButton
          permission={stackyardEnvironmentInvokePermission}
          entityRef={entityRef}
          ownersCan="invoke its functions"
          size="small"
          variant="outlined"
          onClick={() => setInvoking(true)}
        >
          Invoke
        </OwnersOnlyButton>
      </Box>
      {logs?.reason && (
        <Alert severity={logs.state === 'failed' ? 'error' : 'warning'}>
          {logs.reason}
        </Alert>
      )}
      {logs?.lastExit && (
        <details>
          <summary>
            The runner last died at {logs.lastExit.at} (
            {logs.lastExit.signal ?? `code ${logs.lastExit.code}`}); its last
            lines
          </summary>
          <pre style={{ whiteSpace: 'pre-wrap' }}>
            {logs.lastExit.lastLogLines.join('\n')}
          </pre>
        </details>
      )}
      {forbidden && (
        <Typography variant="body2" color="textSecondary">
          Only the owners of {entityRef} can read this preview's logs.
        </Typography>
      )}
      {error && (
        <Typography role="alert" color="error" variant="body2">
          Could not load the preview: {error.message}
        </Typography>
      )}
      {logs && <Counts logs={logs} />}
      {logs && <FunctionLogs logs={logs} />}
      {invoking && (
        <InvokeFunctionDialog
          environmentId={environmentId}
          functions={
            // The runner's own lines are listed as "(runner)": no function.
            logs?.functions
              .map(f => f.name)
              .filter(n => n !== 'runner' && !n.startsWith('(')) ?? []
          }
          onClose={() => setInvoking(false)}
          onInvoked={refresh}
        />
      )}
    </Box>
  );
}
