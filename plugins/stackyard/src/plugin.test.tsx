import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { Entity } from '@backstage/catalog-model';
import { stackyardApiRef } from './api/StackyardApi';
import {
  anEnvironment,
  anOrphan,
  entity,
  mockStackyardApi,
} from './__testUtils__/fixtures';
import {
  expectedSocketRequests,
  socketRequests,
} from './__testUtils__/clientFactory';
import plugin from './index';

function renderEntityPage(subject: Entity = entity) {
  const api = mockStackyardApi([
    anEnvironment({
      alarms: [{ name: 'wo-dev-errors', type: 'metric', state: 'ALARM' }],
    }),
  ]);
  renderTestApp({
    features: [plugin],
    extensions: [createTestEntityPage({ entity: subject })],
    apis: [
      [stackyardApiRef, api],
      [catalogApiRef, catalogApiMock()],
      [permissionApiRef, mockApis.permission()],
    ],
  });
  return api;
}

describe('stackyard frontend plugin', () => {
  it('declares the Infra tab, the summary card, the platform page and the API', () => {
    for (const id of [
      'entity-content:stackyard',
      'entity-card:stackyard/summary',
      'page:stackyard',
      'api:stackyard',
    ] as const) {
      expect(plugin.getExtension(id)).toBeDefined();
    }
  });

  it("api:stackyard's client reaches the preview socket routes", async () => {
    const factory = createExtensionTester(
      plugin.getExtension('api:stackyard'),
    ).get(ApiBlueprint.dataRefs.factory);
    expect(await socketRequests(factory.factory as any)).toEqual(
      expectedSocketRequests,
    );
  });

  it('shows the summary card on an entity with Stackyard annotations', async () => {
    renderEntityPage(entity);
    expect(await screen.findByTestId('infra-summary')).toHaveTextContent(
      '1 environment: 1 ready',
    );
    expect(screen.getByText('1 alarm firing')).toBeInTheDocument();
  });

  it('shows the Infra tab content on an annotated entity', async () => {
    renderEntityPage(entity);
    expect(
      await screen.findByRole('region', { name: 'wo-dev' }),
    ).toBeInTheDocument();
  });

  it('serves the platform page at /stackyard: environments of every entity and orphan stacks', async () => {
    const api = mockStackyardApi([anEnvironment({ stage: 'prod' })]);
    api.listOrphans.mockResolvedValue({ items: [anOrphan()] });
    renderTestApp({
      features: [plugin],
      // The catalog's entity page, which the stacks link into.
      extensions: [createTestEntityPage({ entity })],
      initialRouteEntries: ['/stackyard'],
      apis: [
        [stackyardApiRef, api],
        [catalogApiRef, catalogApiMock()],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Environments' }),
    ).toBeInTheDocument();
    // The test entity page sits at the root; the app's catalog puts it
    // under /catalog/:namespace/:kind/:name.
    expect(
      await screen.findByRole('link', { name: 'wo-prod' }),
    ).toHaveAttribute('href', expect.stringMatching(/\/infra$/));
    expect(
      screen.getByRole('heading', { name: 'Orphan stacks' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('gone-dev')).toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenCalledWith(
      expect.not.objectContaining({ entityRef: expect.anything() }),
    );
  });

  it('serves the Templates page at /stackyard/templates', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        {
          name: 'serverless-service',
          entityRef: 'template:default/serverless-service',
          title: 'Serverless service',
          latestVersion: '1.1.0',
          versions: [{ version: '1.1.0', entities: 0 }],
          changelog: [],
          entities: [],
        },
      ],
    });
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity })],
      initialRouteEntries: ['/stackyard/templates'],
      apis: [
        [stackyardApiRef, api],
        [catalogApiRef, catalogApiMock()],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Serverless service 1.1.0' }),
    ).toBeInTheDocument();
    expect(plugin.getExtension('page:stackyard/templates')).toBeDefined();
  });

  it.each([
    [
      'entity-content:stackyard',
      EntityContentBlueprint.dataRefs.filterFunction,
    ],
    [
      'entity-card:stackyard/summary',
      EntityCardBlueprint.dataRefs.filterFunction,
    ],
  ] as const)(
    '%s is filtered to entities with Stackyard annotations',
    (id, ref) => {
      const filter = createExtensionTester(plugin.getExtension(id)).get(ref);
      expect(filter).toBeInstanceOf(Function);
      expect(filter!(entity)).toBe(true);
      expect(filter!({ ...entity, metadata: { name: 'plain' } })).toBe(false);
    },
  );
});
