import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { stackyardHttpServer } from '@stackyard/plugin-stackyard-backend';
import { permissionPolicyModule } from './permissions/permissionPolicyModule';

const backend = createBackend();

// Hands the HTTP server to Stackyard's preview sockets, so WebSocket
// upgrades work from startup, before any request reaches the plugin.
backend.add(rootHttpRouterServiceFactory({ configure: stackyardHttpServer() }));

// Serves the built frontend (packages/app/dist) at the backend's base URL.
backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Catalog files of repositories published by stackyard:publish:local.
backend.add(import('@stackyard/plugin-catalog-backend-module-stackyard'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
// publish:github / publish:gitlab for templates when an integration is configured.
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

// Events carry cross-replica messages; signals push live updates to browsers.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Search runs on the in-memory Lunr engine, which needs nothing external.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Stackyard: environment state, REST API, reconciler and guarded teardown.
backend.add(import('@stackyard/plugin-stackyard-backend'));

// Stackyard scaffolder actions: prefix, synth + policy, deploy, destroy, local publish.
backend.add(import('@stackyard/plugin-scaffolder-backend-module-stackyard'));

backend.start();
