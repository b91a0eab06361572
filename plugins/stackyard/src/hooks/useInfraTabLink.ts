import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { INFRA_TAB_PATH } from '../routes';

/**
 * Links to an entity's Infra tab, from its ref; undefined for a ref that
 * does not parse (the page still lists the environment).
 */
export function useInfraTabLink(): (entityRef: string) => string | undefined {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) => {
      try {
        return `${entityRoute(entityRouteParams(entityRef))}/${INFRA_TAB_PATH}`;
      } catch {
        return undefined;
      }
    },
    [entityRoute],
  );
}
