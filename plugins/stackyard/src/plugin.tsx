import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { StackyardClient } from '@stackyard/plugin-stackyard-common';
import { isStackyardAvailable } from './annotations';
import { stackyardApiRef } from './api/StackyardApi';

const stackyardApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: stackyardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new StackyardClient({ discoveryApi, fetchApi }),
    }),
});

const infraContent = EntityContentBlueprint.make({
  params: {
    path: 'infra',
    title: 'Infra',
    filter: isStackyardAvailable,
    loader: () =>
      import('./components/InfraContent').then(m => <m.InfraContent />),
  },
});

const infraSummaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: isStackyardAvailable,
    loader: () =>
      import('./components/InfraSummaryCard').then(m => <m.InfraSummaryCard />),
  },
});

/**
 * Stackyard's Infra tab for the new frontend system: an "Infra" entity tab
 * and an overview card on entities with Stackyard annotations.
 */
export const stackyardFrontendPlugin = createFrontendPlugin({
  pluginId: 'stackyard',
  info: { packageJson: () => import('../package.json') },
  extensions: [stackyardApi, infraContent, infraSummaryCard],
});
