import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import { stackyardEnvironmentDeletePermission } from '@stackyard/plugin-stackyard-common';

/**
 * The portal's permission policy.
 *
 * Reading and creating are open to every signed-in user; destructive actions
 * on catalog entities, and tearing down an entity's Stackyard environments,
 * are limited to the entity's owners. (Stackyard itself refuses teardown of
 * protected environments, whoever asks.)
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, catalogEntityDeletePermission) ||
      isPermission(request.permission, stackyardEnvironmentDeletePermission)
    ) {
      return this.ownersOnly(request, user);
    }
    return { result: AuthorizeResult.ALLOW };
  }

  private ownersOnly(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): PolicyDecision {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    if (!isResourcePermission(request.permission, 'catalog-entity')) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(
      request.permission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}
