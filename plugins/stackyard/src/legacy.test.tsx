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
  entity,
  mockStackyardApi,
} from './__testUtils__/fixtures';
import {
  expectedSocketRequests,
  socketRequests,
} from './__testUtils__/clientFactory';
import {
  EntityStackyardCard,
  EntityStackyardContent,
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
  it('is a plugin with id "stackyard" that provides its API', () => {
    expect(stackyardPlugin.getId()).toBe('stackyard');
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
  it('renders the summary card', async () => {
    await renderLegacy(<EntityStackyardCard />);
    expect(await screen.findByTestId('infra-summary')).toHaveTextContent(
      '1 environment: 1 ready',
    );
  });
});
