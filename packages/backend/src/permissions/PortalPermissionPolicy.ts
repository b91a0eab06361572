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
import {
  stackyardDeployApprovePermission,
  stackyardOrphanDeletePermission,
  stackyardPermissions,
} from '@stackyard/plugin-stackyard-common';

/**
 * Permissions only an entity's owners are granted: deleting the entity, and
 * every Stackyard mutation of its environments (deploy, extend, socket
 * management, invoking a local preview's functions, teardown), and
 * upgrading it to a newer template version (Stackyard decides that one on
 * the entity and on its Template entity, so the template's owners may
 * upgrade every entity made from it).
 */
const OWNERS_ONLY = [
  catalogEntityDeletePermission,
  ...stackyardPermissions.filter(
    p =>
      p !== stackyardOrphanDeletePermission &&
      p !== stackyardDeployApprovePermission,
  ),
];

/** Refs compare without regard to case, as the catalog's do. */
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** What the policy is configured with. */
export type PortalPermissionPolicyOptions = {
  /**
   * Group refs (`stackyard.platform.adminGroups`) whose members may tear
   * down orphan stacks. @default [] (nobody)
   */
  platformAdminGroups?: readonly string[];
  /**
   * Group refs (`stackyard.approvals.approverGroups`) whose members may
   * approve deploys that broaden permissions. @default [] (nobody)
   */
  approverGroups?: readonly string[];
};

/**
 * The portal's permission policy.
 *
 * Reading and creating are open to every signed-in user; deleting catalog
 * entities, and every change to an entity's Stackyard environments
 * (deploying, extending a preview, managing its preview sockets, tearing
 * down), are limited to the entity's owners. Tearing down orphan stacks
 * (whose entity is not in the catalog, so has no owners) is limited to
 * members of the platform admin groups, and approving deploys that broaden
 * permissions to members of the approver groups (never the person who
 * started the deploy: Stackyard refuses that whatever the policy says). (Stackyard itself refuses teardown
 * of protected environments, whoever asks.)
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  private readonly platformAdminGroups: ReadonlySet<string>;
  private readonly approverGroups: ReadonlySet<string>;

  constructor(options: PortalPermissionPolicyOptions = {}) {
    this.platformAdminGroups = new Set(
      (options.platformAdminGroups ?? []).map(lower),
    );
    this.approverGroups = new Set((options.approverGroups ?? []).map(lower));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, stackyardOrphanDeletePermission)) {
      return this.membersOnly(this.platformAdminGroups, user);
    }
    // Stackyard itself refuses it to the person who started the deploy.
    if (isPermission(request.permission, stackyardDeployApprovePermission)) {
      return this.membersOnly(this.approverGroups, user);
    }
    if (OWNERS_ONLY.some(p => isPermission(request.permission, p))) {
      return this.ownersOnly(request, user);
    }
    return { result: AuthorizeResult.ALLOW };
  }

  private membersOnly(
    groups: ReadonlySet<string>,
    user?: PolicyQueryUser,
  ): PolicyDecision {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const member = claims.some(ref => groups.has(lower(ref)));
    return { result: member ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
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
