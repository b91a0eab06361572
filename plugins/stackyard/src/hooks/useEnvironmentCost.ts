import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Environment,
  EnvironmentCost,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/**
 * An environment's estimated and actual cost, read again when the
 * environment changes (a deploy replaces its stage's estimate).
 */
export function useEnvironmentCost(environment: Environment): {
  cost?: EnvironmentCost;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(stackyardApiRef);
  const state = useAsync(
    () => api.getEnvironmentCost(environment.id),
    [api, environment.id, environment.updatedAt],
  );
  return { cost: state.value, loading: state.loading, error: state.error };
}
