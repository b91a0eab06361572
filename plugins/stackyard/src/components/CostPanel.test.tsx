import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { EnvironmentCost } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import { CostPanel } from './CostPanel';

const days = Array.from({ length: 30 }, (_, i) => ({
  date: `2026-11-${String(i + 1).padStart(2, '0')}`,
  usd: i === 29 ? 4 : 1,
}));

async function renderWith(cost: EnvironmentCost) {
  const environment = anEnvironment({ id: 'e1' });
  const api = mockStackyardApi([environment]);
  api.getEnvironmentCost.mockResolvedValue(cost);
  await renderInTestApp(<CostPanel environment={environment} />, {
    apis: [[stackyardApiRef, api]],
  });
  return api;
}

describe('CostPanel', () => {
  it("shows the stage's estimate and a 30-day sparkline of actual cost", async () => {
    const api = await renderWith({
      estimate: {
        stage: 'dev',
        target: 'sandbox',
        estimatedAt: '2026-11-30T10:00:00Z',
        estimate: {
          region: 'eu-west-1',
          currency: 'USD',
          monthlyUsd: 1234.5,
          lineItems: [],
          unpriced: [
            {
              logicalId: 'Db',
              resourceType: 'AWS::RDS::DBInstance',
              reason: 'x',
            },
          ],
          summary: 'Estimated fixed cost: $1,234.50/month',
        },
      },
      actual: {
        state: 'ok',
        refreshedAt: '2026-11-30T06:00:00Z',
        days,
        totalUsd: 33,
      },
    });
    expect(api.getEnvironmentCost).toHaveBeenCalledWith('e1');
    expect(
      await screen.findByText(
        'Estimated fixed cost (dev): $1,234.50/month (1 resources not priced)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Last 30 days: $33.00')).toBeInTheDocument();
    const sparkline = screen.getByRole('img', {
      name: 'Daily cost over 30 days, from 2026-11-01 to 2026-11-30; highest $4.00',
    });
    const points = sparkline
      .querySelector('polyline')!
      .getAttribute('points')!
      .split(' ');
    expect(points).toHaveLength(30);
    // The highest day is drawn at the top.
    expect(points[29]).toBe('120.0,1.0');
    expect(points[0]).toBe('0.0,17.5');
  });

  it('says when Cost Explorer kept throttling, keeping the previous figures', async () => {
    await renderWith({
      actual: {
        state: 'throttled',
        message: 'Cost Explorer kept throttling the refresh',
        refreshedAt: '2026-11-29T06:00:00Z',
        days,
        totalUsd: 33,
      },
    });
    expect(
      await screen.findByText(
        'Cost Explorer throttled the last refresh; figures of 2026-11-29T06:00:00Z',
      ),
    ).toBeInTheDocument();
  });

  it('says when actual cost was never read, and shows nothing without any cost', async () => {
    await renderWith({ actual: { state: 'never', days: [], totalUsd: 0 } });
    expect(
      await screen.findByText('Actual cost: not read from Cost Explorer yet'),
    ).toBeInTheDocument();
  });
});
