import { useState } from 'react';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardEnvironmentSocketManagePermission } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { OwnersOnlyButton } from './OwnersOnlyButton';

/**
 * Closes one connection of a preview socket API, then reports it; for the
 * entity's owners.
 */
export function DisconnectButton(props: {
  environmentId: string;
  /** The environment's entity, whose owners may manage its sockets. */
  entityRef: string;
  connectionId: string;
  onDisconnected: () => void;
}) {
  const { environmentId, entityRef, connectionId, onDisconnected } = props;
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
      <OwnersOnlyButton
        permission={stackyardEnvironmentSocketManagePermission}
        entityRef={entityRef}
        ownersCan="disconnect its preview sockets"
        size="small"
        variant="outlined"
        disabled={busy}
        onClick={disconnect}
        aria-label={`Disconnect ${connectionId}`}
      >
        Disconnect
      </OwnersOnlyButton>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </>
  );
}
