import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { readStackyardConfig } from '@stackyard/plugin-stackyard-node';
import {
  LOCAL_REPO_LOCATION_TYPE,
  LocalRepoProcessor,
} from './LocalRepoProcessor';

/**
 * Lets `stackyard:catalog:register-local` register the catalog file of a
 * repository published by `stackyard:publish:local`: adds the
 * `stackyard-local` location type (confined to
 * `stackyard.scaffolder.localPublishDirectory`) next to the default `url`.
 * Without a local publish directory it changes nothing.
 */
export const catalogModuleStackyard = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'stackyard-local-repos',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        locations: catalogLocationsExtensionPoint,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, locations, processing }) {
        const directory = readStackyardConfig(config).localPublishDirectory;
        if (!directory) return;
        processing.addProcessor(new LocalRepoProcessor(directory));
        locations.setAllowedLocationTypes(['url', LOCAL_REPO_LOCATION_TYPE]);
      },
    });
  },
});
