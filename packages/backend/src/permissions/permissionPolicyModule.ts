import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readStackyardConfig } from '@stackyard/plugin-stackyard-node';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

/**
 * Installs {@link PortalPermissionPolicy} as the permission backend's
 * policy, with the platform admin groups of `stackyard.platform.adminGroups`
 * and the approver groups of `stackyard.approvals.approverGroups`.
 */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const { platformAdminGroups, approverGroups } =
          readStackyardConfig(config);
        policy.setPolicy(
          new PortalPermissionPolicy({ platformAdminGroups, approverGroups }),
        );
      },
    });
  },
});
