import { createPermission } from '@backstage/plugin-permission-common';

// Every mutation of an environment is a resource permission on the catalog
// entity the environment belongs to, decided for the person who asked.

/**
 * Tearing down an environment (deleting its stack). A resource permission on
 * the catalog entity the environment belongs to.
 */
export const stackyardEnvironmentDeletePermission = createPermission({
  name: 'stackyard.environment.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Deploying an environment of the entity: registering a deployment or
 * updating its status (the scaffolder on the initiator's behalf, or CI).
 */
export const stackyardEnvironmentDeployPermission = createPermission({
  name: 'stackyard.environment.deploy',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Extending the expiry of a preview environment of the entity. */
export const stackyardEnvironmentExtendPermission = createPermission({
  name: 'stackyard.environment.extend',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Managing the preview sockets of the entity's environments: rotating the
 * connection key, reading recent frames, sending to and disconnecting
 * connections, and `@connections` calls made with a Backstage user token.
 */
export const stackyardEnvironmentSocketManagePermission = createPermission({
  name: 'stackyard.environment.socket.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Tearing down an orphan stack: one with Stackyard tags that no catalog
 * entity owns. A basic permission (there is no entity to decide on); the
 * shipped policy grants it to the configured platform admin groups only.
 */
export const stackyardOrphanDeletePermission = createPermission({
  name: 'stackyard.orphan.delete',
  attributes: { action: 'delete' },
});

/**
 * Checking the entity's environments for drift (CloudFormation drift
 * detection, which reads every resource of the stack in AWS).
 */
export const stackyardEnvironmentDriftCheckPermission = createPermission({
  name: 'stackyard.environment.drift.check',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Invoking a function of the entity's local previews (it runs the
 * service's code with the payload given, and may change its data).
 */
export const stackyardEnvironmentInvokePermission = createPermission({
  name: 'stackyard.environment.invoke',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Upgrading an entity to a newer version of the template it was made from
 * (a branch with the new version merged, in the entity's repository). A
 * resource permission decided on the entity, and on the template's Template
 * entity when the entity refuses: the shipped policy grants it to the owners
 * of either.
 */
export const stackyardTemplateUpgradePermission = createPermission({
  name: 'stackyard.template.upgrade',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Approving (executing) or rejecting a deploy's change set that broadens IAM
 * or security-group permissions. A resource permission on the entity; the
 * shipped policy grants it to `stackyard.approvals.approverGroups`, and the
 * backend refuses it to the person who started the deploy, whatever the
 * policy says.
 */
export const stackyardDeployApprovePermission = createPermission({
  name: 'stackyard.deploy.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission Stackyard defines. */
export const stackyardPermissions = [
  stackyardEnvironmentDeletePermission,
  stackyardEnvironmentDeployPermission,
  stackyardEnvironmentExtendPermission,
  stackyardEnvironmentSocketManagePermission,
  stackyardEnvironmentDriftCheckPermission,
  stackyardEnvironmentInvokePermission,
  stackyardTemplateUpgradePermission,
  stackyardDeployApprovePermission,
  stackyardOrphanDeletePermission,
];
