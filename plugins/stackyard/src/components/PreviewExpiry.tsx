import { useState } from 'react';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  stackyardEnvironmentExtendPermission,
  type Environment,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { OwnersOnlyButton } from './OwnersOnlyButton';
import { Timestamp } from './Timestamp';

/** How far one click extends a preview. */
export const EXTENSION_HOURS = 24;

/**
 * A preview's expiry, with a button that pushes it back by a day (for the
 * entity's owners).
 */
export function PreviewExpiry(props: {
  environment: Environment;
  onExtended: (environment: Environment) => void;
}) {
  const { environment, onExtended } = props;
  const api = useApi(stackyardApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!environment.expiresAt) return null;
  const live = !['deleting', 'deleted'].includes(environment.status);

  const extend = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onExtended(
        await api.extendExpiry(environment.id, { hours: EXTENSION_HOURS }),
      );
    } catch (e) {
      setError(`Could not extend the preview: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Typography variant="body2" component="div" data-testid="preview-expiry">
      Preview expires <Timestamp iso={environment.expiresAt} />
      {live && (
        <>
          {' '}
          <OwnersOnlyButton
            permission={stackyardEnvironmentExtendPermission}
            entityRef={environment.entityRef}
            ownersCan="extend its previews"
            size="small"
            variant="outlined"
            disabled={busy}
            onClick={extend}
          >
            Extend by {EXTENSION_HOURS} h
          </OwnersOnlyButton>
        </>
      )}
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </Typography>
  );
}
