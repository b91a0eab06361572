import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { mockStackyardApi } from '../__testUtils__/fixtures';
import {
  expectOwnersOnly,
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { ConnectionKeyButton } from './ConnectionKeyButton';

// usePermission caches decisions per resource across renders, so every
// render uses an entity of its own.
let entityCount = 0;

function renderButton({ allowed = true } = {}) {
  entityCount += 1;
  const entityRef = `component:default/keyed-${entityCount}`;
  const api = mockStackyardApi([]);
  renderInTestApp(
    <ConnectionKeyButton environmentId="env-wo-dev" entityRef={entityRef} />,
    {
      apis: [
        [stackyardApiRef, api],
        [
          permissionApiRef,
          permissionApi(allowed, 'stackyard.environment.socket.manage'),
        ],
      ],
    },
  );
  return Object.assign(api, { entityRef });
}

async function confirm() {
  await userEvent.click(await findPermittedButton('New connection key'));
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

    await userEvent.click(await findPermittedButton('New connection key'));
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

  it('is blocked, saying who may, for someone who may not manage the sockets', async () => {
    const api = renderButton({ allowed: false });
    const button = await expectOwnersOnly(
      'New connection key',
      api.entityRef,
      'create connection keys',
    );
    await userEvent.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.rotateConnectionKey).not.toHaveBeenCalled();
  });
});
