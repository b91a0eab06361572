import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { STACKYARD_TEMPLATE_VERSION_ANNOTATION } from '../annotations';

/**
 * The current version of each named template, read from the Template
 * entities' `stackyard.io/template-version` annotation. Templates that are
 * not in the catalog, or carry no version, are left out.
 */
export function useLatestTemplateVersions(
  names: string[],
): Record<string, string> {
  const catalogApi = useApi(catalogApiRef);
  const key = [...new Set(names)].sort().join('\n');
  const { value } = useAsync(async () => {
    if (!key) return {};
    const refs = key
      .split('\n')
      .map(name =>
        stringifyEntityRef({ kind: 'Template', namespace: 'default', name }),
      );
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['metadata.name', 'metadata.annotations'],
    });
    const versions: Record<string, string> = {};
    for (const entity of items) {
      const version =
        entity?.metadata.annotations?.[STACKYARD_TEMPLATE_VERSION_ANNOTATION];
      if (entity && version) versions[entity.metadata.name] = version;
    }
    return versions;
  }, [catalogApi, key]);
  return value ?? {};
}
