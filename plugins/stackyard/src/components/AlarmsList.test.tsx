import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import userEvent from '@testing-library/user-event';
import type { EnvironmentAlarm } from '@stackyard/plugin-stackyard-common';
import { anEnvironment } from '../__testUtils__/fixtures';
import { AlarmsList } from './AlarmsList';

const alarms: EnvironmentAlarm[] = [
  ...Array.from({ length: 6 }, (_, i) => ({
    name: `ok-${i}`,
    type: 'metric' as const,
    state: 'OK' as const,
  })),
  {
    name: 'errors',
    type: 'composite',
    state: 'ALARM',
    reason: 'Threshold crossed',
  },
];

describe('AlarmsList', () => {
  it('counts alarms, lists the most severe first and folds the rest', async () => {
    renderInTestApp(<AlarmsList environment={anEnvironment({ alarms })} />);
    expect(screen.getByTestId('alarm-counts')).toHaveTextContent(
      '1 in alarm · 0 insufficient data · 6 OK',
    );
    const rows = screen.getAllByTestId('alarm-row');
    expect(rows).toHaveLength(5);
    expect(within(rows[0]).getByText('In alarm')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent(/^In alarmerrors.*\(composite\)/);
    expect(rows[0]).toHaveTextContent('Threshold crossed');
    await userEvent.click(
      screen.getByRole('button', { name: 'Show all 7 alarms' }),
    );
    expect(screen.getAllByTestId('alarm-row')).toHaveLength(7);
  });

  it('says when there are none', () => {
    renderInTestApp(<AlarmsList environment={anEnvironment()} />);
    expect(screen.getByText('No alarms.')).toBeInTheDocument();
  });
});
