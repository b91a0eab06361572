import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { mockStackyardApi } from '../__testUtils__/fixtures';
import { ConnectionKeyButton } from './ConnectionKeyButton';

function renderButton() {
  const api = mockStackyardApi([]);
  renderInTestApp(<ConnectionKeyButton environmentId="env-wo-dev" />, {
    apis: [[stackyardApiRef, api]],
  });
  return api;
}

async function confirm() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'New connection key' }),
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'New connection key',
  });
  await userEvent.click(
    within(dialog).getByRole('button', { name: 'Create key' }),
  );
  return dialog;
}

describe('ConnectionKeyButton', () => {
  it('creates a key only after confirmation and shows it once', async () => {
    const api = renderButton();
    api.rotateConnectionKey.mockResolvedValue({ key: 'k3y-s3cr3t' });

    await userEvent.click(
      await screen.findByRole('button', { name: 'New connection key' }),
    );
    expect(api.rotateConnectionKey).not.toHaveBeenCalled();
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create key' }),
    );

    expect(api.rotateConnectionKey).toHaveBeenCalledWith('env-wo-dev');
    expect(
      await within(dialog).findByTestId('connection-key'),
    ).toHaveTextContent('k3y-s3cr3t');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'New connection key' }),
    );
    expect(screen.queryByText('k3y-s3cr3t')).not.toBeInTheDocument();
  });

  it("shows the backend's refusal", async () => {
    const api = renderButton();
    api.rotateConnectionKey.mockRejectedValue(
      new StackyardApiError('Not allowed', 403),
    );
    const dialog = await confirm();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not create a key: Not allowed',
    );
    expect(within(dialog).queryByTestId('connection-key')).toBeNull();
  });
});
