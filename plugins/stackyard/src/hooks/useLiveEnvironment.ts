import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  stackyardEntityChannel,
  type Environment,
  type StackyardSignal,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/**
 * One environment of a list, kept live: a signal about it on its entity's
 * channel refetches it. A new `environment` from the list replaces it.
 */
export function useLiveEnvironment(environment: Environment): Environment {
  const api = useApi(stackyardApiRef);
  const [live, setLive] = useState(environment);
  useEffect(() => setLive(environment), [environment]);

  const { lastSignal } = useSignal(
    stackyardEntityChannel(environment.entityRef),
  );
  const id = environment.id;
  useEffect(() => {
    const signal = lastSignal as unknown as StackyardSignal | null;
    if (signal?.environmentId !== id) return undefined;
    let cancelled = false;
    api.getEnvironment(id).then(
      details => {
        if (!cancelled) setLive(details.environment);
      },
      () => {
        // A failed refresh keeps what is shown; the next signal retries.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, lastSignal]);
  return live;
}
