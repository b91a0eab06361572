import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { permissionApi as mockPermissionApi } from '../__testUtils__/permissions';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import { TeardownButton } from './TeardownButton';

// usePermission caches decisions per resource across renders, so every test
// uses an entity of its own.
let entityCount = 0;

function renderButton(patch: Partial<Environment>, allowed: boolean) {
  entityCount += 1;
  const environment = anEnvironment({
    entityRef: `component:default/service-${entityCount}`,
    ...patch,
  });
  const permissionApi = mockPermissionApi(
    allowed,
    'stackyard.environment.delete',
  );
  const onTeardown = jest.fn();
  renderInTestApp(
    <TeardownButton environment={environment} onTeardown={onTeardown} />,
    {
      apis: [
        [stackyardApiRef, mockStackyardApi([environment])],
        [permissionApiRef, permissionApi],
      ],
    },
  );
  return { environment, onTeardown };
}

describe('TeardownButton', () => {
  it('asks for a teardown for a permitted user', async () => {
    const { environment, onTeardown } = renderButton({}, true);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Tear down' }),
      ).not.toHaveAttribute('aria-disabled'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Tear down' }));
    expect(onTeardown).toHaveBeenCalledWith(environment);
  });

  it('is disabled, with the reason, for a user without permission', async () => {
    const { onTeardown } = renderButton({}, false);
    const button = await screen.findByRole('button', {
      name: 'Tear down',
      description: /not allowed to tear down/,
    });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await userEvent.hover(button);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /ask one of its owners/,
    );
    await userEvent.click(button);
    expect(onTeardown).not.toHaveBeenCalled();
  });

  it('is disabled, with the protection reason, for a protected stack', async () => {
    renderButton(
      {
        stage: 'prod',
        protected: true,
        protectionReason: 'stage "prod" is protected',
      },
      true,
    );
    const button = screen.getByRole('button', {
      name: 'Tear down',
      description: 'Protected: stage "prod" is protected',
    });
    expect(button).toHaveAttribute('aria-disabled', 'true');
  });

  it('is absent for a deleted environment', async () => {
    renderButton({ status: 'deleted' }, true);
    expect(
      screen.queryByRole('button', { name: 'Tear down' }),
    ).not.toBeInTheDocument();
  });
});
