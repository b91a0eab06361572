import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCatalogRegisterLocalAction } from './actions/catalogRegisterLocal';
import { createCdkDeployAction } from './actions/cdkDeploy';
import { createCdkDestroyAction } from './actions/cdkDestroy';
import { createCdkSynthAction } from './actions/cdkSynth';
import { createPrefixResolveAction } from './actions/prefixResolve';
import { createPublishLocalAction } from './actions/publishLocal';
import { ToolkitCdkDeployer } from './deploy/ToolkitCdkDeployer';
import { readStackyardActionsConfig } from './lib/config';
import { BackendStackyardEnvironments } from './lib/environments';

/**
 * The Stackyard scaffolder actions: `stackyard:prefix:resolve`,
 * `stackyard:cdk:synth`, `stackyard:cdk:deploy`, `stackyard:cdk:destroy`,
 * `stackyard:publish:local` and `stackyard:catalog:register-local`.
 */
export const scaffolderModuleStackyard = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'stackyard',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, config, auth, discovery }) {
        const actionsConfig = readStackyardActionsConfig(config);
        const environments = BackendStackyardEnvironments.create({
          auth,
          discovery,
        });
        scaffolder.addActions(
          createPrefixResolveAction(),
          createCdkSynthAction(),
          createCdkDeployAction({
            config: actionsConfig,
            environments,
            deployer: ToolkitCdkDeployer.fromConfig(config),
          }),
          createCdkDestroyAction({ config: actionsConfig, environments }),
          createPublishLocalAction({
            config: actionsConfig,
            defaultAuthor: {
              name: config.getOptionalString('scaffolder.defaultAuthor.name'),
              email: config.getOptionalString('scaffolder.defaultAuthor.email'),
            },
          }),
          createCatalogRegisterLocalAction({
            config: actionsConfig,
            auth,
            discovery,
          }),
        );
      },
    });
  },
});
