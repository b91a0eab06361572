import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import {
  anEnvironment,
  anOperation,
  mockStackyardApi,
} from '../__testUtils__/fixtures';
import { TeardownDialog } from './TeardownDialog';

const environment = anEnvironment({ stage: 'dev' });

function renderDialog(api: ReturnType<typeof mockStackyardApi>) {
  const onClose = jest.fn();
  renderInTestApp(
    <TeardownDialog
      environment={environment}
      onClose={onClose}
      progressIntervalMs={5}
    />,
    { apis: [[stackyardApiRef, api]] },
  );
  return { onClose };
}

describe('TeardownDialog', () => {
  it('asks for the stack name before tearing down, then follows the operation', async () => {
    const api = mockStackyardApi([environment]);
    const running = anOperation({
      id: 'op-2',
      type: 'teardown',
      state: 'running',
    });
    api.teardown.mockResolvedValue({ operation: running });
    api.getOperation
      .mockResolvedValueOnce(running)
      .mockResolvedValue({ ...running, state: 'succeeded' });
    renderDialog(api);

    const confirm = screen.getByRole('button', { name: 'Tear down' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText('Stack name to confirm'),
      'wo-de',
    );
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Stack name to confirm'), 'v');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    expect(api.teardown).toHaveBeenCalledWith(environment.id);
    expect(await screen.findByText('Teardown finished.')).toBeInTheDocument();
    expect(api.getOperation).toHaveBeenCalledWith('op-2');
  });

  it("shows the backend's reason when it refuses", async () => {
    const api = mockStackyardApi([environment]);
    api.teardown.mockRejectedValue(
      new StackyardApiError(
        'Environment "wo-dev" is protected: stage "dev" is protected',
        409,
      ),
    );
    renderDialog(api);
    await userEvent.type(
      screen.getByLabelText('Stack name to confirm'),
      'wo-dev',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Tear down' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Environment "wo-dev" is protected: stage "dev" is protected',
    );
  });

  it('reports a teardown that failed in CloudFormation', async () => {
    const api = mockStackyardApi([environment]);
    api.teardown.mockResolvedValue({
      operation: anOperation({
        type: 'teardown',
        state: 'failed',
        error: 'DELETE_FAILED: bucket not empty',
      }),
    });
    renderDialog(api);
    await userEvent.type(
      screen.getByLabelText('Stack name to confirm'),
      'wo-dev',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Tear down' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Teardown failed: DELETE_FAILED: bucket not empty',
    );
    expect(api.getOperation).not.toHaveBeenCalled();
  });

  it('closes on cancel without tearing down', async () => {
    const api = mockStackyardApi([environment]);
    const { onClose } = renderDialog(api);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
    expect(api.teardown).not.toHaveBeenCalled();
  });
});
