import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { stackyardApiRef } from '../api/StackyardApi';

/** The resource list of an environment's stack; refetched when `revision` changes. */
export function useStackResources(environmentId: string, revision: number) {
  const api = useApi(stackyardApiRef);
  return useAsyncRetry(
    () => api.getResources(environmentId),
    [api, environmentId, revision],
  );
}
