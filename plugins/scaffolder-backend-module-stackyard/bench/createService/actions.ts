/** The action handlers of the task, built as src/module.ts builds them. */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type {
  AuthService,
  DiscoveryService,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import {
  createCdkDeployAction,
  createCatalogRegisterLocalAction,
  createCdkSynthAction,
  createPrefixResolveAction,
  createPublishLocalAction,
  readStackyardActionsConfig,
  ToolkitCdkDeployer,
} from '../../src';
import type { StackyardEnvironments } from '../../src';
import type { ServiceExtensions } from '../../src/lib/extensions';
import { repoRoot } from './template';

export type AnyAction = TemplateAction<any, any>;

/**
 * The scaffolder's fetch:template action, loaded the way the portal's backend
 * loads it: from `@backstage/plugin-scaffolder-backend`, a dependency of
 * packages/backend.
 */
function portalFetchTemplateAction(): AnyAction {
  const backendRequire = createRequire(
    resolve(repoRoot, 'packages/backend/package.json'),
  );
  const scaffolderBackendPath = backendRequire.resolve(
    '@backstage/plugin-scaffolder-backend',
  );
  const scaffolderBackend = backendRequire(scaffolderBackendPath) as {
    createFetchTemplateAction(options: {
      reader: UrlReaderService;
      integrations: unknown;
    }): AnyAction;
  };
  const { ScmIntegrations } = createRequire(scaffolderBackendPath)(
    '@backstage/integration',
  ) as { ScmIntegrations: { fromConfig(config: ConfigReader): unknown } };
  // The skeleton is a local file (`./skeleton` next to a file:// template),
  // which fetch:template copies without a URL reader.
  const reader: UrlReaderService = {
    async readUrl() {
      throw new Error('the benchmark reads no URLs');
    },
    async readTree() {
      throw new Error('the benchmark reads no URLs');
    },
    async search() {
      throw new Error('the benchmark reads no URLs');
    },
  };
  return scaffolderBackend.createFetchTemplateAction({
    reader,
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
}

/** The portal's config for the local target, publishing under `publishDir`. */
export function benchConfig(publishDir: string): ConfigReader {
  return new ConfigReader({
    app: { baseUrl: 'http://localhost:3000' },
    stackyard: {
      targets: [{ name: 'local', type: 'local' }],
      scaffolder: { localPublishDirectory: publishDir },
    },
    scaffolder: {
      defaultAuthor: { name: 'Stackyard bench', email: 'bench@example.com' },
    },
  });
}

/** The task's actions by id, one set for both variants. */
export function createActions(options: {
  config: ConfigReader;
  sandbox?: SandboxPool;
  extensions?: ServiceExtensions;
  environments: StackyardEnvironments;
  permissions: PermissionsService;
  auth: AuthService;
  discovery: DiscoveryService;
}): Map<string, AnyAction> {
  const { config, sandbox, extensions, environments, auth, discovery } =
    options;
  const actionsConfig = readStackyardActionsConfig(config);
  return new Map<string, AnyAction>(
    [
      portalFetchTemplateAction(),
      createPrefixResolveAction(),
      createCdkSynthAction({ extensions }),
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
      createCdkDeployAction({
        config: actionsConfig,
        environments,
        deployer: ToolkitCdkDeployer.fromConfig(config, { sandbox }),
        extensions,
        permissions: options.permissions,
        auth,
        discovery,
      }),
    ].map(a => [a.id, a as AnyAction]),
  );
}
