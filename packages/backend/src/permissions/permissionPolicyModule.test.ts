import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { stackyardOrphanDeletePermission } from '@stackyard/plugin-stackyard-common';
import request from 'supertest';
import { permissionPolicyModule } from './permissionPolicyModule';

jest.setTimeout(60_000);

/** ada is a member of the platform team; eve of another team. */
const userInfo = mockServices.userInfo.mock({
  getUserInfo: async credentials => {
    const userEntityRef = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    const group =
      userEntityRef === 'user:default/ada'
        ? 'group:default/platform-team'
        : 'group:default/orders-team';
    return { userEntityRef, ownershipEntityRefs: [userEntityRef, group] };
  },
});

/** The permission backend with the shipped policy, configured with `stackyard`. */
async function permissionBackend(stackyard: object) {
  return startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, stackyard },
      }),
      userInfo.factory,
      permissionPlugin,
      permissionPolicyModule,
    ],
  });
}

/** What the permission backend decides on orphan teardown for `user`. */
async function orphanDeleteFor(
  backend: Awaited<ReturnType<typeof startTestBackend>>,
  user: string,
) {
  const res = await request(backend.server)
    .post('/api/permission/authorize')
    .set('Authorization', mockCredentials.user.header(user))
    .send({
      items: [
        {
          id: '1',
          permission: {
            type: stackyardOrphanDeletePermission.type,
            name: stackyardOrphanDeletePermission.name,
            attributes: stackyardOrphanDeletePermission.attributes,
          },
        },
      ],
    });
  expect(res.status).toBe(200);
  return res.body.items[0].result;
}

describe('permissionPolicyModule', () => {
  it('grants orphan teardown to members of stackyard.platform.adminGroups only', async () => {
    const backend = await permissionBackend({
      platform: { adminGroups: ['group:default/platform-team'] },
    });
    try {
      expect(await orphanDeleteFor(backend, 'user:default/ada')).toBe(
        AuthorizeResult.ALLOW,
      );
      expect(await orphanDeleteFor(backend, 'user:default/eve')).toBe(
        AuthorizeResult.DENY,
      );
    } finally {
      await backend.stop();
    }
  });

  it('grants it to nobody when no admin group is configured', async () => {
    const backend = await permissionBackend({});
    try {
      expect(await orphanDeleteFor(backend, 'user:default/ada')).toBe(
        AuthorizeResult.DENY,
      );
    } finally {
      await backend.stop();
    }
  });

  it('stops startup on an admin group that is not a group ref', async () => {
    await expect(
      permissionBackend({ platform: { adminGroups: ['platform-team'] } }),
    ).rejects.toThrow(
      'stackyard.platform.adminGroups[0]: "platform-team" is not a full group ref',
    );
  });
});
