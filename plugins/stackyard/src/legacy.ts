import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { StackyardClient } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from './api/StackyardApi';

/** The Infra tab's route, for apps on the legacy frontend system. */
export const stackyardRouteRef = createRouteRef({ id: 'stackyard' });

/** Stackyard's frontend plugin for apps on the legacy frontend system. */
export const stackyardPlugin = createPlugin({
  id: 'stackyard',
  apis: [
    createApiFactory({
      api: stackyardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new StackyardClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: stackyardRouteRef },
});

/** The Infra tab's content, for an `EntityLayout.Route` (legacy system). */
export const EntityStackyardContent = stackyardPlugin.provide(
  createRoutableExtension({
    name: 'EntityStackyardContent',
    component: () =>
      import('./components/InfraContent').then(m => m.InfraContent),
    mountPoint: stackyardRouteRef,
  }),
);

/** The overview card (legacy system). */
export const EntityStackyardCard = stackyardPlugin.provide(
  createComponentExtension({
    name: 'EntityStackyardCard',
    component: {
      lazy: () =>
        import('./components/InfraSummaryCard').then(m => m.InfraSummaryCard),
    },
  }),
);
