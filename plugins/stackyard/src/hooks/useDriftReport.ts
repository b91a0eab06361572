import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Environment,
  EnvironmentDrift,
  ResourceDrift,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/** How often a running check is asked about when no live update came. */
export const DRIFT_POLL_MS = 3000;

/** The most recent of several views of one environment's drift. */
function newest(
  ...drifts: (EnvironmentDrift | undefined)[]
): EnvironmentDrift | undefined {
  return drifts
    .filter((d): d is EnvironmentDrift => !!d)
    .sort((a, b) => (b.checkedAt ?? '').localeCompare(a.checkedAt ?? ''))[0];
}

/**
 * The drift of an environment and, once a check finished, its resources.
 * `started` is what a check request just answered. The report is fetched
 * again when the environment's drift changes (a live update), and every
 * {@link DRIFT_POLL_MS} while a check runs, so the result shows even
 * without live updates. Never-checked environments cost no request.
 */
export function useDriftReport(
  environment: Environment,
  started?: EnvironmentDrift,
): {
  drift?: EnvironmentDrift;
  resources?: ResourceDrift[];
  error?: Error;
} {
  const api = useApi(stackyardApiRef);
  const [tick, setTick] = useState(0);
  const known = newest(started, environment.drift);
  const report = useAsyncRetry(
    async () => (known ? api.getDrift(environment.id) : undefined),
    [api, environment.id, known?.status, known?.checkedAt, tick],
  );
  const drift = newest(known, report.value?.drift);
  const checking = drift?.status === 'checking';
  useEffect(() => {
    if (!checking || report.loading) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), DRIFT_POLL_MS);
    return () => clearTimeout(timer);
  }, [checking, report.loading, report.value]);
  return {
    drift,
    resources: report.value?.resources,
    error: report.error,
  };
}
