import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import {
  anEnvironment,
  entity,
  mockStackyardApi,
} from '../__testUtils__/fixtures';
import { InfraSummaryCard } from './InfraSummaryCard';

function renderCard(api: ReturnType<typeof mockStackyardApi>) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <InfraSummaryCard />
    </EntityProvider>,
    { apis: [[stackyardApiRef, api]] },
  );
}

describe('InfraSummaryCard', () => {
  it('counts live environments per status and the alarms firing', async () => {
    renderCard(
      mockStackyardApi([
        anEnvironment({
          alarms: [
            { name: 'a', type: 'metric', state: 'ALARM' },
            { name: 'b', type: 'metric', state: 'ALARM' },
            { name: 'c', type: 'metric', state: 'OK' },
          ],
        }),
        anEnvironment({ prefix: 'wo-1', status: 'failed' }),
        anEnvironment({ prefix: 'wo-2', status: 'deleted' }),
        anEnvironment({ prefix: 'wo-3', status: 'awaiting-approval' }),
      ]),
    );
    expect(await screen.findByTestId('infra-summary')).toHaveTextContent(
      '3 environments: 1 ready, 1 awaiting-approval, 1 failed',
    );
    expect(screen.getByText('2 alarms firing')).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    const api = mockStackyardApi([]);
    api.listEnvironments.mockRejectedValue(
      new StackyardApiError('Service unavailable', 503),
    );
    renderCard(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load environments: Service unavailable',
    );
  });
});
