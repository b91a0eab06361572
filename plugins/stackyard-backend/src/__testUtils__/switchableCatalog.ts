import type { Entity } from '@backstage/catalog-model';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/** A catalog entity with just enough to be found by its ref. */
function entityOf(ref: string): Entity {
  const { kind, namespace, name } = parseEntityRef(ref);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind[0].toLocaleUpperCase('en-US') + kind.slice(1),
    metadata: { name, namespace },
    spec: {},
  };
}

/**
 * A catalog (Backstage's in-memory catalog mock) whose entities a test
 * changes between reconcile cycles, and that can be made unreachable.
 */
export function switchableCatalog(refs: string[]) {
  const present = new Set(refs);
  const state = { unreachable: false, calls: 0 };
  const catalog = catalogServiceMock.mock({
    getEntitiesByRefs: async (request, options) => {
      state.calls += 1;
      if (state.unreachable) throw new Error('catalog unreachable');
      return catalogServiceMock({
        entities: [...present].map(entityOf),
      }).getEntitiesByRefs(request, options);
    },
  });
  return { catalog, present, state };
}
