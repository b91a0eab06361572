import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardApiRef } from '../api/StackyardApi';

/** Closes one connection of a preview socket API, then reports it. */
export function DisconnectButton(props: {
  environmentId: string;
  connectionId: string;
  onDisconnected: () => void;
}) {
  const { environmentId, connectionId, onDisconnected } = props;
  const api = useApi(stackyardApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const disconnect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.disconnect(environmentId, connectionId);
      onDisconnected();
    } catch (e) {
      setError(`Could not disconnect: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        disabled={busy}
        onClick={disconnect}
        aria-label={`Disconnect ${connectionId}`}
      >
        Disconnect
      </Button>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </>
  );
}
