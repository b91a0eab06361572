import { useCallback, useEffect, useState } from 'react';

/** A page of a cursor-paginated list, as the stackyard-backend answers. */
export type CursorPage<T> = { items: T[]; nextCursor?: string };

type Paging<T> = {
  source: (cursor?: string) => Promise<CursorPage<T>>;
  cursors: (string | undefined)[];
  index: number;
};

export type CursorPagesState<T> = {
  loading: boolean;
  error?: Error;
  /** The items of the current page. */
  items: T[];
  /** 1-based number of the current page. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
  /** Fetches the current page again. */
  reload: () => void;
};

/**
 * One page at a time of a list the backend paginates with cursors. The
 * cursors of the pages seen are kept, so Previous needs no extra request
 * beyond the page itself. A new `fetchPage` (new filters) starts again at
 * page 1; answers to superseded requests are dropped.
 */
export function useCursorPages<T>(
  fetchPage: (cursor?: string) => Promise<CursorPage<T>>,
): CursorPagesState<T> {
  // cursors[i] fetches page i + 1; page 1 has none. Kept with the
  // fetchPage they belong to, so new filters start at page 1 at once.
  const [paging, setPaging] = useState<Paging<T>>({
    source: fetchPage,
    cursors: [undefined],
    index: 0,
  });
  const current: Paging<T> =
    paging.source === fetchPage
      ? paging
      : { source: fetchPage, cursors: [undefined], index: 0 };
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{
    loading: boolean;
    error?: Error;
    items: T[];
    nextCursor?: string;
  }>({ loading: true, items: [] });

  const cursor = current.cursors[current.index];
  useEffect(() => {
    let cancelled = false;
    setState(s => ({ ...s, loading: true, error: undefined }));
    fetchPage(cursor).then(
      response => {
        if (!cancelled) {
          setState({
            loading: false,
            items: response.items,
            nextCursor: response.nextCursor,
          });
        }
      },
      e => {
        if (!cancelled) {
          setState({
            loading: false,
            items: [],
            error: e instanceof Error ? e : new Error(String(e)),
          });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [fetchPage, cursor, attempt]);

  const { nextCursor } = state;
  const next = () => {
    if (!nextCursor || state.loading) return;
    setPaging({
      source: fetchPage,
      cursors: [...current.cursors.slice(0, current.index + 1), nextCursor],
      index: current.index + 1,
    });
  };
  const previous = () =>
    setPaging({ ...current, index: Math.max(0, current.index - 1) });
  const reload = useCallback(() => setAttempt(n => n + 1), []);

  return {
    loading: state.loading,
    error: state.error,
    items: state.items,
    page: current.index + 1,
    hasPrevious: current.index > 0,
    hasNext: !!nextCursor && !state.loading,
    previous,
    next,
    reload,
  };
}
