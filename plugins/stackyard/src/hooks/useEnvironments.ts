import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  stackyardEntityChannel,
  type Environment,
  type StackyardSignal,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

const PAGE_SIZE = 100;
/** Stops runaway paging; 50 pages of 100 is far more than one entity has. */
const MAX_PAGES = 50;

export type EnvironmentsState = {
  loading: boolean;
  error?: Error;
  environments: Environment[];
  /** Bumped per environment on every live update, so details refetch. */
  revisions: Record<string, number>;
  reload: () => void;
  /** Replaces one environment (after an action that returned it). */
  update: (environment: Environment) => void;
};

/**
 * All environments of an entity, kept live: each signal on the entity's
 * channel refetches the environment it names.
 */
export function useEnvironments(entityRef: string): EnvironmentsState {
  const api = useApi(stackyardApiRef);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [environments, setEnvironments] = useState<Environment[]>([]);
  const [revisions, setRevisions] = useState<Record<string, number>>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(undefined);
    (async () => {
      const items: Environment[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await api.listEnvironments({
          entityRef,
          limit: PAGE_SIZE,
          cursor,
        });
        items.push(...response.items);
        cursor = response.nextCursor;
        if (!cursor) break;
      }
      return items;
    })().then(
      items => {
        if (cancelled) return;
        setEnvironments(items);
        setLoading(false);
      },
      e => {
        if (cancelled) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, entityRef, attempt]);

  const update = useCallback((environment: Environment) => {
    setEnvironments(current => {
      const index = current.findIndex(e => e.id === environment.id);
      if (index < 0) return [...current, environment];
      const next = [...current];
      next[index] = environment;
      return next;
    });
    setRevisions(current => ({
      ...current,
      [environment.id]: (current[environment.id] ?? 0) + 1,
    }));
  }, []);

  const { lastSignal } = useSignal(stackyardEntityChannel(entityRef));
  useEffect(() => {
    const signal = lastSignal as unknown as StackyardSignal | null;
    if (!signal?.environmentId) return undefined;
    let cancelled = false;
    api.getEnvironment(signal.environmentId).then(
      details => {
        if (!cancelled) update(details.environment);
      },
      () => {
        // A failed refresh keeps what is shown; the next signal retries.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, lastSignal, update]);

  const reload = useCallback(() => setAttempt(n => n + 1), []);
  return { loading, error, environments, revisions, reload, update };
}
