import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Tearing down an environment (deleting its stack). A resource permission on
 * the catalog entity the environment belongs to.
 */
export const stackyardEnvironmentDeletePermission = createPermission({
  name: 'stackyard.environment.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/** Every permission Stackyard defines. */
export const stackyardPermissions = [stackyardEnvironmentDeletePermission];
