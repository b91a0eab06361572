import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardEnvironmentSocketManagePermission } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { OwnersOnlyButton } from './OwnersOnlyButton';

/**
 * Creates a new connection key for a preview socket API after a
 * confirmation, and shows it once; for the entity's owners.
 */
export function ConnectionKeyButton({
  environmentId,
  entityRef,
}: {
  environmentId: string;
  /** The environment's entity, whose owners may manage its sockets. */
  entityRef: string;
}) {
  const api = useApi(stackyardApiRef);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState<string>();
  const [error, setError] = useState<string>();
  const titleId = `connection-key-${environmentId}`;

  const close = () => {
    setOpen(false);
    setKey(undefined);
    setError(undefined);
  };

  const rotate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setKey((await api.rotateConnectionKey(environmentId)).key);
    } catch (e) {
      setError(`Could not create a key: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <OwnersOnlyButton
        permission={stackyardEnvironmentSocketManagePermission}
        entityRef={entityRef}
        ownersCan="create connection keys"
        size="small"
        onClick={() => setOpen(true)}
      >
        New connection key
      </OwnersOnlyButton>
      {open && (
        <Dialog open onClose={close} aria-labelledby={titleId}>
          <DialogTitle id={titleId}>New connection key</DialogTitle>
          <DialogContent>
            {key ? (
              <>
                <DialogContentText>
                  Copy it now: it is shown only once. Present it as the{' '}
                  <code>x-stackyard-connection-key</code> header or the{' '}
                  <code>stackyard-key.&lt;key&gt;</code> subprotocol.
                </DialogContentText>
                <code data-testid="connection-key">{key}</code>
              </>
            ) : (
              <DialogContentText>
                The current key stops working, for new connections and for the
                @connections API.
              </DialogContentText>
            )}
            {error && (
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>{key ? 'Close' : 'Cancel'}</Button>
            {!key && (
              <Button
                color="primary"
                variant="contained"
                disabled={busy}
                onClick={rotate}
              >
                Create key
              </Button>
            )}
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}
