import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
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
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityStackyardCard,
  EntityStackyardContent,
  StackyardPlatformPage,
  StackyardTemplatesPage,
  stackyardPlugin,
} from './legacy';

function renderLegacy(element: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [stackyardApiRef, mockStackyardApi([anEnvironment()])],
        [catalogApiRef, catalogApiMock()],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}

describe('legacy frontend system exports', () => {
  it('is a plugin with id "stackyard" that provides its API and routes', () => {
    expect(stackyardPlugin.getId()).toBe('stackyard');
    expect(Object.keys(stackyardPlugin.routes)).toEqual([
      'root',
      'platform',
      'templates',
    ]);
    expect([...stackyardPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.stackyard.api',
    ]);
  });

  it("its API factory's client reaches the preview socket routes", async () => {
    const [factory] = [...stackyardPlugin.getApis()];
    expect(await socketRequests(factory.factory as any)).toEqual(
      expectedSocketRequests,
    );
  });

  it('renders the Infra tab content', async () => {
    // A routable extension needs a path, as under EntityLayout.Route.
    await renderLegacy(
      <Routes>
        <Route path="/*" element={<EntityStackyardContent />} />
      </Routes>,
    );
    expect(
      await screen.findByRole('region', { name: 'wo-dev' }),
    ).toBeInTheDocument();
  });
  it('renders the platform page with its header, linking stacks to their Infra tab', async () => {
    const api = mockStackyardApi([anEnvironment({ stage: 'prod' })]);
    api.listOrphans.mockResolvedValue({ items: [anOrphan()] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [stackyardApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route path="/stackyard" element={<StackyardPlatformPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/stackyard'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Stackyard' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'wo-prod' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/work-orders-api/infra',
    );
    expect(await screen.findByText('gone-dev')).toBeInTheDocument();
  });

  it('renders the Templates page with its header', async () => {
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
    await renderInTestApp(
      <TestApiProvider apis={[[stackyardApiRef, api]]}>
        <Routes>
          <Route
            path="/stackyard/templates"
            element={<StackyardTemplatesPage />}
          />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/stackyard/templates'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Stackyard templates' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'Serverless service 1.1.0' }),
    ).toBeInTheDocument();
  });

  it('renders the summary card', async () => {
    await renderLegacy(<EntityStackyardCard />);
    expect(await screen.findByTestId('infra-summary')).toHaveTextContent(
      '1 environment: 1 ready',
    );
  });
});
