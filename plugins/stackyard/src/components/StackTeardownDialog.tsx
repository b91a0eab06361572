import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Operation,
  TeardownResponse,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/** How often a running teardown is checked. */
export const PROGRESS_INTERVAL_MS = 2000;

const finished = (operation?: Operation) =>
  operation?.state === 'succeeded' || operation?.state === 'failed';

/**
 * Confirms the teardown of a stack by having the user type its name, then
 * follows the operation until it finishes. The backend's refusal is shown
 * as is.
 */
export function StackTeardownDialog(props: {
  /** Unique on the page; names the dialog's title element. */
  id: string;
  stackName: string;
  /** What the teardown removes, in a sentence. */
  description: string;
  /** Asks the backend for the teardown. */
  requestTeardown: () => Promise<TeardownResponse>;
  onClose: () => void;
  /** How often a running teardown is checked. @default PROGRESS_INTERVAL_MS */
  progressIntervalMs?: number;
}) {
  const { stackName, description, requestTeardown, onClose } = props;
  const progressIntervalMs = props.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const api = useApi(stackyardApiRef);
  const [typed, setTyped] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const [operation, setOperation] = useState<Operation>();

  const confirmed = typed.trim() === stackName;
  const started = operation !== undefined;

  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      setOperation((await requestTeardown()).operation);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  const operationId = operation?.id;
  const done = finished(operation);
  useEffect(() => {
    if (!operationId || done) return undefined;
    const timer = setInterval(() => {
      api
        .getOperation(operationId)
        .then(setOperation, e =>
          setError(`Could not follow the teardown: ${(e as Error).message}`),
        );
    }, progressIntervalMs);
    return () => clearInterval(timer);
  }, [api, operationId, done, progressIntervalMs]);

  const titleId = `teardown-title-${props.id}`;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>Tear down {stackName}?</DialogTitle>
      <DialogContent>
        {!started && (
          <>
            <DialogContentText>
              {description} Type the stack name to confirm.
            </DialogContentText>
            <TextField
              fullWidth
              label="Stack name"
              value={typed}
              onChange={e => setTyped(e.target.value)}
              inputProps={{ 'aria-label': 'Stack name to confirm' }}
            />
          </>
        )}
        {started && <TeardownProgress operation={operation} />}
        {submitting && <LinearProgress aria-label="Requesting teardown" />}
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{started ? 'Close' : 'Cancel'}</Button>
        {!started && (
          <Button
            color="secondary"
            variant="contained"
            disabled={!confirmed || submitting}
            onClick={submit}
          >
            Tear down
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function TeardownProgress({ operation }: { operation: Operation }) {
  if (operation.state === 'succeeded') {
    return (
      <Alert severity="success" role="status">
        Teardown finished.
      </Alert>
    );
  }
  if (operation.state === 'failed') {
    return (
      <Alert severity="error" role="alert">
        Teardown failed: {operation.error ?? 'no reason given'}
      </Alert>
    );
  }
  return (
    <div role="status">
      <DialogContentText>Teardown {operation.state}…</DialogContentText>
      <LinearProgress aria-label="Teardown in progress" />
    </div>
  );
}
