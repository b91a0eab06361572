import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { SandboxPool, SandboxResultCache } from '@stackyard/cdk-guardrails';
import { createCatalogRegisterLocalAction } from './actions/catalogRegisterLocal';
import { createCdkDeployAction } from './actions/cdkDeploy';
import { createCdkDestroyAction } from './actions/cdkDestroy';
import { createCdkSynthAction } from './actions/cdkSynth';
import { createPrefixResolveAction } from './actions/prefixResolve';
import { createPublishLocalAction } from './actions/publishLocal';
import { createTemplateUpgradeAction } from './actions/templateUpgrade';
import { ToolkitCdkDeployer } from './deploy/ToolkitCdkDeployer';
import { readStackyardActionsConfig } from './lib/config';
import { BackendStackyardEnvironments } from './lib/environments';
import { catalogTemplates } from './lib/extensions';
import { monorepoTemplateDirs } from './lib/templateDirs';

/**
 * The Stackyard scaffolder actions: `stackyard:prefix:resolve`,
 * `stackyard:cdk:synth`, `stackyard:cdk:deploy`, `stackyard:cdk:destroy`,
 * `stackyard:publish:local`, `stackyard:catalog:register-local` and
 * `stackyard:template:upgrade`.
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
        permissions: coreServices.permissions,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        scaffolder,
        config,
        auth,
        discovery,
        permissions,
        lifecycle,
      }) {
        const actionsConfig = readStackyardActionsConfig(config);
        // Manifest extensions (repository code) run only in these sandboxes.
        const sandbox = SandboxPool.create();
        lifecycle.addShutdownHook(() => sandbox.close());
        const extensions = {
          sandbox,
          catalog: catalogTemplates({ auth, discovery }),
          // A task's deploy step reuses its synth step's sandbox run.
          syntheses: new SandboxResultCache(),
        };
        const environments = BackendStackyardEnvironments.create({
          auth,
          discovery,
        });
        scaffolder.addActions(
          createPrefixResolveAction(),
          createCdkSynthAction({ extensions }),
          createCdkDeployAction({
            config: actionsConfig,
            environments,
            deployer: ToolkitCdkDeployer.fromConfig(config, { sandbox }),
            extensions,
            permissions,
            auth,
            discovery,
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
          createTemplateUpgradeAction({
            config: actionsConfig,
            permissions,
            // GitHub/GitLab repositories: pull requests through these.
            integrations: ScmIntegrations.fromConfig(config),
            templateDirs: monorepoTemplateDirs(),
            sandbox,
            defaultAuthor: {
              name: config.getOptionalString('scaffolder.defaultAuthor.name'),
              email: config.getOptionalString('scaffolder.defaultAuthor.email'),
            },
          }),
        );
      },
    });
  },
});
