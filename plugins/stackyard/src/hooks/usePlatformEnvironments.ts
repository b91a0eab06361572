import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Environment,
  ListEnvironmentsQuery,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { useCursorPages } from './useCursorPages';

/** Environments per page of the platform page. */
export const PLATFORM_PAGE_SIZE = 25;

/** The filters of `GET /environments` the platform page offers. */
export type PlatformFilters = Omit<
  ListEnvironmentsQuery,
  'entityRef' | 'limit' | 'cursor'
>;

/**
 * Environments of every entity that match `filters`, a page at a time
 * (the backend filters and paginates). `filters` must keep its identity
 * while unchanged: a new object starts again at page 1.
 */
export function usePlatformEnvironments(filters: PlatformFilters) {
  const api = useApi(stackyardApiRef);
  const fetchPage = useCallback(
    (cursor?: string) =>
      api.listEnvironments({ ...filters, limit: PLATFORM_PAGE_SIZE, cursor }),
    [api, filters],
  );
  return useCursorPages<Environment>(fetchPage);
}
