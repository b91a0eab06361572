import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  stackyardPreviewChannel,
  type PreviewLogs,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';

/**
 * How often the preview panel refreshes its logs and counts besides on the
 * backend's signals (a fallback: signals may be off, or a queue or table
 * may change with no log line, as a worker writing silently).
 */
export const PREVIEW_POLL_INTERVAL_MS = 15_000;

export type PreviewLogsState = {
  /** The last answer; kept while a refresh fails. */
  logs?: PreviewLogs;
  /** The caller may not read them (403). */
  forbidden: boolean;
  error?: Error;
  refresh: () => void;
};

/**
 * A local preview's state, recent log lines, queue depths and table item
 * counts: fetched on mount, on `refresh()`, on each signal of the preview's
 * channel (new log lines, a state change, an invocation; about one a second
 * at most), and every `intervalMs` while the page is visible (reading them
 * never wakes a sleeping preview).
 */
export function usePreviewLogs(
  environmentId: string,
  intervalMs = PREVIEW_POLL_INTERVAL_MS,
): PreviewLogsState {
  const api = useApi(stackyardApiRef);
  const [state, setState] = useState<Omit<PreviewLogsState, 'refresh'>>({
    forbidden: false,
  });
  const latest = useRef(0);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const refresh = useCallback(async () => {
    const request = ++latest.current;
    try {
      const logs = await api.getPreviewLogs(environmentId);
      if (mounted.current && request === latest.current) {
        setState({ logs, forbidden: false });
      }
    } catch (e) {
      if (!mounted.current || request !== latest.current) return;
      const forbidden = (e as { status?: number }).status === 403;
      setState(s => ({
        ...s,
        forbidden,
        error: forbidden ? undefined : (e as Error),
      }));
    }
  }, [api, environmentId]);

  const { lastSignal } = useSignal(stackyardPreviewChannel(environmentId));
  useEffect(() => {
    if (lastSignal) refresh();
  }, [lastSignal, refresh]);

  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);

  return { ...state, refresh };
}
