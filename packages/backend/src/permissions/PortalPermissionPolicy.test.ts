import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  stackyardDeployApprovePermission,
  stackyardEnvironmentDeletePermission,
  stackyardEnvironmentDeployPermission,
  stackyardEnvironmentDriftCheckPermission,
  stackyardEnvironmentExtendPermission,
  stackyardEnvironmentInvokePermission,
  stackyardEnvironmentSocketManagePermission,
  stackyardOrphanDeletePermission,
  stackyardPermissions,
  stackyardTemplateUpgradePermission,
} from '@stackyard/plugin-stackyard-common';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

const userOwning = (...ownershipEntityRefs: string[]): PolicyQueryUser =>
  ({
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
  } as PolicyQueryUser);

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();

  it('lets every signed-in user read catalog entities', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      userOwning('user:default/someone'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  describe.each([
    ['deleting a catalog entity', catalogEntityDeletePermission],
    [
      'tearing down Stackyard environments',
      stackyardEnvironmentDeletePermission,
    ],
    ['deploying Stackyard environments', stackyardEnvironmentDeployPermission],
    [
      'extending Stackyard preview environments',
      stackyardEnvironmentExtendPermission,
    ],
    [
      'managing Stackyard preview sockets',
      stackyardEnvironmentSocketManagePermission,
    ],
    [
      'checking Stackyard environments for drift',
      stackyardEnvironmentDriftCheckPermission,
    ],
    [
      // Stackyard asks on the entity, then on its template: the owners of
      // either may upgrade it.
      'upgrading entities to a newer template version',
      stackyardTemplateUpgradePermission,
    ],
    [
      'invoking functions of Stackyard local previews',
      stackyardEnvironmentInvokePermission,
    ],
  ])('%s', (_action, permission) => {
    it("is limited to the entity's owners", async () => {
      const decision = await policy.handle(
        { permission },
        userOwning('user:default/guest', 'group:default/platform-team'),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/guest', 'group:default/platform-team'],
          },
        },
      });
    });

    it('is denied to callers without ownership claims', async () => {
      const decision = await policy.handle({ permission });
      expect(decision).toEqual({ result: AuthorizeResult.DENY });
    });
  });

  it('limits every permission Stackyard defines to owners or platform admins (none left open)', async () => {
    for (const permission of stackyardPermissions) {
      const decision = await policy.handle(
        { permission },
        userOwning('user:default/guest'),
      );
      const expected =
        permission === stackyardOrphanDeletePermission ||
        permission === stackyardDeployApprovePermission
          ? AuthorizeResult.DENY
          : AuthorizeResult.CONDITIONAL;
      expect([permission.name, decision.result]).toEqual([
        permission.name,
        expected,
      ]);
    }
  });

  describe('tearing down orphan stacks', () => {
    const admins = new PortalPermissionPolicy({
      platformAdminGroups: ['group:default/platform-team'],
    });
    const orphanDelete = { permission: stackyardOrphanDeletePermission };

    it('is granted to members of a platform admin group', async () => {
      const decision = await admins.handle(
        orphanDelete,
        userOwning('user:default/alice', 'group:default/platform-team'),
      );
      expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('matches group refs without regard to case', async () => {
      const policyWithMixedCase = new PortalPermissionPolicy({
        platformAdminGroups: ['group:default/Platform-Team'],
      });
      const decision = await policyWithMixedCase.handle(
        orphanDelete,
        userOwning('user:default/alice', 'group:default/platform-team'),
      );
      expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('is denied to everyone else, owners of entities included', async () => {
      for (const user of [
        userOwning('user:default/bob', 'group:default/orders-team'),
        // A user named like the group is not its member.
        userOwning('user:default/platform-team'),
        undefined,
      ]) {
        expect(await admins.handle(orphanDelete, user)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    });

    it('is denied to everybody when no admin group is configured', async () => {
      const decision = await policy.handle(
        orphanDelete,
        userOwning('user:default/alice', 'group:default/platform-team'),
      );
      expect(decision).toEqual({ result: AuthorizeResult.DENY });
    });
  });

  describe('approving deploys that broaden permissions', () => {
    const reviewers = new PortalPermissionPolicy({
      approverGroups: ['group:default/Security'],
      platformAdminGroups: ['group:default/platform-team'],
    });
    const approve = {
      permission: stackyardDeployApprovePermission,
      resourceRef: 'component:default/orders',
    };

    it('is granted to members of an approver group, whoever owns the entity', async () => {
      const decision = await reviewers.handle(
        approve,
        userOwning('user:default/carol', 'group:default/security'),
      );
      expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it("is denied to the entity's owners and platform admins who are not approvers, and to nobody signed in", async () => {
      for (const user of [
        userOwning('user:default/bob', 'group:default/orders-team'),
        userOwning('user:default/alice', 'group:default/platform-team'),
        undefined,
      ]) {
        expect(await reviewers.handle(approve, user)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    });

    it('is denied to everybody when no approver group is configured', async () => {
      expect(
        await policy.handle(
          approve,
          userOwning('user:default/carol', 'group:default/security'),
        ),
      ).toEqual({ result: AuthorizeResult.DENY });
    });
  });
});
