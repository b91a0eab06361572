import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { anOperation } from '../__testUtils__/fixtures';
import { LastOperation } from './LastOperation';

describe('LastOperation', () => {
  it('says a deploy held for approval executed nothing yet', async () => {
    await renderInTestApp(
      <LastOperation
        operation={anOperation({ type: 'deploy', state: 'succeeded' })}
        awaitingApproval
      />,
    );
    expect(screen.getByTestId('last-operation')).toHaveTextContent(
      /— held for approval, nothing executed yet$/,
    );
  });

  it('says succeeded once nothing awaits approval', async () => {
    await renderInTestApp(
      <LastOperation
        operation={anOperation({ type: 'deploy', state: 'succeeded' })}
      />,
    );
    expect(screen.getByTestId('last-operation')).toHaveTextContent(
      /— succeeded$/,
    );
  });
});
