import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import LayersIcon from '@material-ui/icons/Layers';
import UpdateIcon from '@material-ui/icons/Update';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { StackyardClient } from '@stackyard/plugin-stackyard-common';
import { isStackyardAvailable } from './annotations';
import { stackyardApiRef } from './api/StackyardApi';
import {
  INFRA_TAB_PATH,
  PLATFORM_PAGE_PATH,
  TEMPLATES_PAGE_PATH,
  platformPageRouteRef,
  templatesPageRouteRef,
} from './routes';

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
    path: INFRA_TAB_PATH,
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

// With a title and an icon the page is also the sidebar's "Stackyard" item.
const platformPage = PageBlueprint.make({
  params: {
    path: PLATFORM_PAGE_PATH,
    title: 'Stackyard',
    icon: <LayersIcon fontSize="inherit" />,
    routeRef: platformPageRouteRef,
    loader: () =>
      import('./components/platform/PlatformPage').then(m => (
        <m.PlatformContent />
      )),
  },
});

// Platform teams' template updates; also a sidebar item.
const templatesPage = PageBlueprint.make({
  name: 'templates',
  params: {
    path: TEMPLATES_PAGE_PATH,
    title: 'Templates',
    icon: <UpdateIcon fontSize="inherit" />,
    routeRef: templatesPageRouteRef,
    loader: () =>
      import('./components/templates/TemplatesPage').then(m => (
        <m.TemplatesContent />
      )),
  },
});

// The "Create" wizard's target and stage pickers (`ui:field:
// StackyardTargetPicker` / `StackyardStagePicker`).
const targetPickerFormField = FormFieldBlueprint.make({
  name: 'target-picker',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.targetPickerFormField),
  },
});

const stagePickerFormField = FormFieldBlueprint.make({
  name: 'stage-picker',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.stagePickerFormField),
  },
});

/**
 * Stackyard for the new frontend system: an "Infra" entity tab and an
 * overview card on entities with Stackyard annotations, the platform
 * page (every environment, orphan stacks) with its sidebar item, and the
 * "Create" wizard's target and stage pickers.
 */
export const stackyardFrontendPlugin = createFrontendPlugin({
  pluginId: 'stackyard',
  title: 'Stackyard',
  icon: <LayersIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { platform: platformPageRouteRef, templates: templatesPageRouteRef },
  extensions: [
    stackyardApi,
    infraContent,
    infraSummaryCard,
    platformPage,
    templatesPage,
    targetPickerFormField,
    stagePickerFormField,
  ],
});
