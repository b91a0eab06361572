import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { stackyardEnvironmentDeletePermission } from '@stackyard/plugin-stackyard-common';
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

  it("limits deleting a catalog entity to the entity's owners", async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
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

  it('denies deleting catalog entities to callers without ownership claims', async () => {
    const decision = await policy.handle({
      permission: catalogEntityDeletePermission,
    });
    expect(decision).toEqual({ result: AuthorizeResult.DENY });
  });

  it("limits tearing down Stackyard environments to the entity's owners", async () => {
    const decision = await policy.handle(
      { permission: stackyardEnvironmentDeletePermission },
      userOwning('user:default/ada', 'group:default/orders-team'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/ada', 'group:default/orders-team'],
        },
      },
    });
  });

  it('denies tearing down Stackyard environments to callers without ownership claims', async () => {
    const decision = await policy.handle({
      permission: stackyardEnvironmentDeletePermission,
    });
    expect(decision).toEqual({ result: AuthorizeResult.DENY });
  });
});
