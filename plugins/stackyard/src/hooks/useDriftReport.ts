import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/** How often a running check is asked about when no live update came. */
export const DRIFT_POLL_MS = 3000;

/**
 * The last drift check of an environment, per resource. Refetched when
 * the environment's drift changes (a live update), and polled while a
 * check runs, so the result shows even without live updates.
 */
export function useDriftReport(environment: Environment) {
  const api = useApi(stackyardApiRef);
  const [tick, setTick] = useState(0);
  const drift = environment.drift;
  const report = useAsyncRetry(
    async () =>
      drift ? api.getDrift(environment.id) : { drift, resources: [] },
    [api, environment.id, drift?.status, drift?.checkedAt, tick],
  );
  const checking = (report.value?.drift ?? drift)?.status === 'checking';
  useEffect(() => {
    if (!checking) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), DRIFT_POLL_MS);
    return () => clearTimeout(timer);
  }, [checking, report.value]);
  return report;
}
