import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { stackyardApiRef } from '../api/StackyardApi';

/** The configured targets (`GET /targets`), loaded once per picker. */
export function useTargets() {
  const api = useApi(stackyardApiRef);
  const { value, loading, error } = useAsync(
    async () => (await api.listTargets()).items,
    [api],
  );
  return { targets: value, loading, error };
}
