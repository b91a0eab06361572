import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardApiRef } from '../api/StackyardApi';

/** Operations and recent events of one environment; refetched when `revision` changes. */
export function useEnvironmentDetails(environmentId: string, revision: number) {
  const api = useApi(stackyardApiRef);
  return useAsyncRetry(
    () => api.getEnvironment(environmentId),
    [api, environmentId, revision],
  );
}
