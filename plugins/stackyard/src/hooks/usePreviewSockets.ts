import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { PreviewSocketInspection } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/** How often an open inspector refreshes. */
export const SOCKETS_POLL_INTERVAL_MS = 5000;

export type PreviewSocketsState = {
  /** The last inspection received; kept while a refresh fails. */
  inspection?: PreviewSocketInspection;
  /** The environment has no preview socket API (the backend answered 404). */
  notFound: boolean;
  loading: boolean;
  /** The last refresh failed (other than with a 404). */
  error?: Error;
  refresh: () => void;
};

const isNotFound = (error: unknown) =>
  (error as { status?: unknown })?.status === 404;
const isForbidden = (error: unknown) =>
  (error as { status?: unknown })?.status === 403;

/**
 * The preview socket API of an environment: fetched once on mount, then on
 * `refresh()`, and every `intervalMs` while `poll` is set and the page is
 * visible. Answers that arrive after a newer request started are dropped.
 */
export function usePreviewSockets(
  environmentId: string,
  options: {
    poll: boolean;
    intervalMs?: number;
    /** How many recent frames to fetch; the backend's default when unset. */
    frames?: number;
  },
): PreviewSocketsState {
  const { poll, intervalMs = SOCKETS_POLL_INTERVAL_MS, frames } = options;
  const api = useApi(stackyardApiRef);
  const [state, setState] = useState<Omit<PreviewSocketsState, 'refresh'>>({
    notFound: false,
    loading: true,
  });
  const latest = useRef(0);
  const inFlight = useRef(false);
  const mounted = useRef(false);
  /** The environment whose frames were refused (403): later polls ask without them. */
  const framesRefusedFor = useRef<string>();

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const refresh = useCallback(async () => {
    const request = ++latest.current;
    const current = () => mounted.current && request === latest.current;
    inFlight.current = true;
    setState(s => ({ ...s, loading: true }));
    try {
      // Recent frames are for those who may manage the sockets; others
      // still see the API's routes and connections.
      const asked = framesRefusedFor.current === environmentId ? 0 : frames;
      const inspection = await api
        .getSockets(environmentId, { frames: asked })
        .catch(e => {
          if (!isForbidden(e) || asked === 0) return Promise.reject(e);
          framesRefusedFor.current = environmentId;
          return api.getSockets(environmentId, { frames: 0 });
        });
      if (current()) setState({ inspection, notFound: false, loading: false });
    } catch (e) {
      if (!current()) return;
      setState(s =>
        isNotFound(e)
          ? { notFound: true, loading: false }
          : { ...s, loading: false, error: e as Error },
      );
    } finally {
      if (request === latest.current) inFlight.current = false;
    }
  }, [api, environmentId, frames]);

  useEffect(() => {
    refresh();
  }, [refresh]);

  useEffect(() => {
    if (!poll) return undefined;
    const timer = setInterval(() => {
      if (!inFlight.current && document.visibilityState !== 'hidden') {
        refresh();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [poll, intervalMs, refresh]);

  return { ...state, refresh };
}
