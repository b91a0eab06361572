import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import type { InvokeFunctionResponse } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/** Parses the payload field: JSON, or a message saying what is wrong. */
function parsePayload(text: string): { value?: unknown; problem?: string } {
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: `The payload is not JSON: ${(e as Error).message}` };
  }
}

const pretty = (value: unknown) =>
  JSON.stringify(value, null, 2) ?? 'undefined';

/**
 * Invokes one function of a local preview with a JSON payload and shows
 * what came back: the result and duration, or the error with its stack.
 * Starting a sleeping preview first can take a few seconds.
 */
export function InvokeFunctionDialog(props: {
  environmentId: string;
  /** Function names known so far (from the preview's logs), offered first. */
  functions: string[];
  onClose: () => void;
  onInvoked: () => void;
}) {
  const { environmentId, functions, onClose, onInvoked } = props;
  const api = useApi(stackyardApiRef);
  const [fn, setFn] = useState(functions[0] ?? '');
  const [payload, setPayload] = useState('{}');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<InvokeFunctionResponse>();
  const [error, setError] = useState<string>();
  const titleId = `invoke-${environmentId}`;

  const invoke = async () => {
    const parsed = parsePayload(payload);
    if (parsed.problem) {
      setError(parsed.problem);
      return;
    }
    setRunning(true);
    setError(undefined);
    setOutcome(undefined);
    try {
      setOutcome(
        await api.invokeFunction(environmentId, {
          function: fn.trim(),
          payload: parsed.value,
        }),
      );
      onInvoked();
    } catch (e) {
      setError(`Could not invoke ${fn}: ${(e as Error).message}`);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id={titleId}>Invoke a function</DialogTitle>
      <DialogContent>
        <TextField
          id={`${titleId}-function`}
          label="Function"
          helperText={
            functions.length > 0
              ? `The service's functions: ${functions.join(', ')}`
              : 'A function name of stackyard.yaml'
          }
          value={fn}
          onChange={e => setFn(e.target.value)}
          fullWidth
          variant="outlined"
          margin="dense"
        />
        <TextField
          id={`${titleId}-payload`}
          label="Payload (JSON)"
          helperText="The event the handler is invoked with."
          value={payload}
          onChange={e => setPayload(e.target.value)}
          multiline
          minRows={4}
          fullWidth
          variant="outlined"
          margin="dense"
          inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
        />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {outcome && (
          <section aria-label="Invocation result" data-testid="invoke-result">
            {outcome.ok ? (
              <Alert severity="success">
                {outcome.function} returned in {Math.round(outcome.durationMs)}{' '}
                ms
              </Alert>
            ) : (
              <Alert severity="error">
                {outcome.function} failed in {Math.round(outcome.durationMs)}{' '}
                ms: {outcome.error?.name}: {outcome.error?.message}
              </Alert>
            )}
            <Typography variant="subtitle2" component="h5">
              {outcome.ok ? 'Result' : 'Stack'}
            </Typography>
            <pre
              style={{
                whiteSpace: 'pre-wrap',
                maxHeight: 300,
                overflow: 'auto',
              }}
            >
              {outcome.ok
                ? pretty(outcome.result)
                : outcome.error?.stack ?? outcome.error?.message}
            </pre>
          </section>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={invoke}
          disabled={running || fn.trim() === ''}
        >
          {running ? 'Invoking…' : 'Invoke'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
