import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { stackyardApiRef } from '../../api/StackyardApi';
import { mockStackyardApi } from '../../__testUtils__/fixtures';
import { CostCentersSection } from './CostCentersSection';

describe('CostCentersSection', () => {
  it('lists the cost of the last 30 days per cost center and names accounts whose refresh failed', async () => {
    const api = mockStackyardApi([]);
    api.getCostCenterTotals.mockResolvedValue({
      items: [
        { costCenter: 'CC-42', totalUsd: 1313.25, environments: 2 },
        { costCenter: '(none)', totalUsd: 0, environments: 1 },
      ],
      days: 30,
      refreshedAt: '2026-11-30T06:00:00.000Z',
      stale: ['210987654321'],
    });
    await renderInTestApp(<CostCentersSection />, {
      apis: [[stackyardApiRef, api]],
    });
    const table = await screen.findByRole('table', {
      name: 'Cost per cost center',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      'Cost centerEnvironmentsCost',
      'CC-422$1,313.25',
      '(none)1$0.00',
    ]);
    expect(
      screen.getByText(
        'Last 30 days, from Cost Explorer (read 2026-11-30T06:00:00.000Z); the last refresh of 210987654321 failed, their previous figures are used',
      ),
    ).toBeInTheDocument();
  });
});
