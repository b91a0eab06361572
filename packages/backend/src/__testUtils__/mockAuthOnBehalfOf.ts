import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * `mockServices.auth`, except that a plugin's token on behalf of a user keeps
 * the calling plugin as the principal's actor, as Backstage's real auth
 * service does. The plain mock drops the actor, so a backend that tells a
 * user calling directly from a plugin calling for that user (Stackyard's
 * deployment registration does) would see every scaffolder call as direct.
 */
export const mockAuthOnBehalfOf = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const getPluginRequestToken: AuthService['getPluginRequestToken'] =
      async options => {
        const { principal } = options.onBehalfOf as {
          principal: { type: string; userEntityRef?: string };
        };
        if (principal.type === 'user' && principal.userEntityRef) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return auth.getPluginRequestToken(options);
      };
    const delegated: AuthService = {
      authenticate: (token, options) => auth.authenticate(token, options),
      isPrincipal: ((credentials, type) =>
        auth.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      getPluginRequestToken,
      getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
    };
    return delegated;
  },
});
