import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { Orphan } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { useCursorPages } from './useCursorPages';

/** Orphans per page of the platform page. */
export const ORPHANS_PAGE_SIZE = 25;

/** Orphan stacks (tagged stacks no catalog entity owns), a page at a time. */
export function useOrphans() {
  const api = useApi(stackyardApiRef);
  const fetchPage = useCallback(
    (cursor?: string) => api.listOrphans({ limit: ORPHANS_PAGE_SIZE, cursor }),
    [api],
  );
  return useCursorPages<Orphan>(fetchPage);
}
