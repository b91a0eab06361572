import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { StackyardClient } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from './api/StackyardApi';
import { StagePicker } from './scaffolder/StagePicker';
import { TargetPicker } from './scaffolder/TargetPicker';
import { validateStage, validateTarget } from './scaffolder/validation';

/** The Infra tab's route, for apps on the legacy frontend system. */
export const stackyardRouteRef = createRouteRef({ id: 'stackyard' });

/** The platform page's route, for apps on the legacy frontend system. */
export const stackyardPlatformRouteRef = createRouteRef({
  id: 'stackyard:platform',
});

/**
 * The Templates page's route, for apps on the legacy frontend system (mount
 * it at `/stackyard/templates`: the Infra tab's template badge links there).
 */
export const stackyardTemplatesRouteRef = createRouteRef({
  id: 'stackyard:templates',
});

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
  routes: {
    root: stackyardRouteRef,
    platform: stackyardPlatformRouteRef,
    templates: stackyardTemplatesRouteRef,
  },
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

/**
 * The platform page: every environment across entities, with filters, and
 * orphan stacks with a guarded teardown (legacy system; mount it on a route,
 * e.g. `/stackyard`, and add a sidebar item).
 */
export const StackyardPlatformPage = stackyardPlugin.provide(
  createRoutableExtension({
    name: 'StackyardPlatformPage',
    component: () =>
      import('./components/platform/PlatformPage').then(m => m.PlatformPage),
    mountPoint: stackyardPlatformRouteRef,
  }),
);

/**
 * The Templates page: per template its versions, entities and changelog,
 * and upgrades of entities to its current version (legacy system; mount it
 * at `/stackyard/templates` and add a sidebar item).
 */
export const StackyardTemplatesPage = stackyardPlugin.provide(
  createRoutableExtension({
    name: 'StackyardTemplatesPage',
    component: () =>
      import('./components/templates/TemplatesPage').then(m => m.TemplatesPage),
    mountPoint: stackyardTemplatesRouteRef,
  }),
);

/**
 * The "Create" wizard's target picker, `ui:field: StackyardTargetPicker`
 * (legacy system; render it inside `ScaffolderFieldExtensions`).
 */
export const StackyardTargetPickerFieldExtension = stackyardPlugin.provide(
  createScaffolderFieldExtension({
    name: 'StackyardTargetPicker',
    component: TargetPicker,
    validation: validateTarget,
  }),
);

/**
 * The "Create" wizard's stage picker, `ui:field: StackyardStagePicker`: the
 * template's stages the chosen target accepts (legacy system; render it
 * inside `ScaffolderFieldExtensions`).
 */
export const StackyardStagePickerFieldExtension = stackyardPlugin.provide(
  createScaffolderFieldExtension({
    name: 'StackyardStagePicker',
    component: StagePicker,
    validation: validateStage,
  }),
);
