import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { Orphan } from '@stackyard/plugin-stackyard-common';
import { anOrphan } from '../../__testUtils__/fixtures';
import { permissionApi } from '../../__testUtils__/permissions';
import { OrphanTeardownButton } from './OrphanTeardownButton';

// A user outside the platform admin groups; the admin's case is in
// OrphansSection.test.tsx (usePermission caches a basic permission's
// decision for the whole file).
function renderButton(orphan: Orphan) {
  const permission = permissionApi(true, 'stackyard.environment.delete');
  const authorize = jest.spyOn(permission, 'authorize');
  const onTeardown = jest.fn();
  renderInTestApp(
    <OrphanTeardownButton orphan={orphan} onTeardown={onTeardown} />,
    { apis: [[permissionApiRef, permission]] },
  );
  return { onTeardown, authorize };
}

describe('OrphanTeardownButton for a user without stackyard.orphan.delete', () => {
  it('is blocked, saying who may tear orphans down', async () => {
    const { onTeardown, authorize } = renderButton(anOrphan());
    const reason =
      'Only members of the platform admin groups can tear down orphan stacks';
    const button = screen.getByRole('button', { name: 'Tear down gone-dev' });
    await waitFor(() => expect(button).toHaveAccessibleDescription(reason));
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'stackyard.orphan.delete',
        }),
      }),
    );
    await userEvent.hover(button);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(reason);
    await userEvent.click(button);
    expect(onTeardown).not.toHaveBeenCalled();
  });

  it("names a protected stack's protection first", async () => {
    renderButton(
      anOrphan({
        stackName: 'old-prod',
        protected: true,
        protectionReason: 'stage "prod" is protected',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Tear down old-prod' }),
    ).toHaveAccessibleDescription('Protected: stage "prod" is protected');
  });
});
