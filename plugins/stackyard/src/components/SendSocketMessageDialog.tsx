import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardApiRef } from '../api/StackyardApi';

/** What the message field starts with. */
export const DEFAULT_TEST_MESSAGE = '{"message":"test from Stackyard"}';

/** Sends a text frame to one connection of a preview socket API. */
export function SendSocketMessageDialog(props: {
  environmentId: string;
  connectionId: string;
  onClose: () => void;
  onSent: () => void;
}) {
  const { environmentId, connectionId, onClose, onSent } = props;
  const api = useApi(stackyardApiRef);
  const [data, setData] = useState(DEFAULT_TEST_MESSAGE);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = `send-message-${connectionId}`;

  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      await api.sendToConnection(environmentId, connectionId, { data });
      onSent();
      onClose();
    } catch (e) {
      setError(`Could not send: ${(e as Error).message}`);
      setSending(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        Send a test message to {connectionId}
      </DialogTitle>
      <DialogContent>
        <TextField
          id={`${titleId}-data`}
          label="Message"
          helperText="Sent as a text frame."
          value={data}
          onChange={e => setData(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          variant="outlined"
        />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={sending || data.length === 0}
          onClick={send}
        >
          Send
        </Button>
      </DialogActions>
    </Dialog>
  );
}
