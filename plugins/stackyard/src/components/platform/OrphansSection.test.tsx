import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../../api/StackyardApi';
import {
  anOperation,
  anOrphan,
  mockStackyardApi,
} from '../../__testUtils__/fixtures';
import { permissionApi } from '../../__testUtils__/permissions';
import { OrphansSection } from './OrphansSection';

// usePermission caches the decision of a basic permission for the whole
// file, so a user without it is in OrphanTeardownButton.test.tsx.
function renderSection(api: ReturnType<typeof mockStackyardApi>) {
  return renderInTestApp(<OrphansSection progressIntervalMs={5} />, {
    apis: [
      [stackyardApiRef, api],
      [permissionApiRef, permissionApi(true, 'stackyard.orphan.delete')],
    ],
  });
}

const orphanRow = async (stackName: string) =>
  (await screen.findAllByTestId('orphan')).find(r =>
    within(r).queryByText(stackName),
  )!;

const tearDownButton = (stackName: string) =>
  screen.getByRole('button', { name: `Tear down ${stackName}` });

describe('OrphansSection', () => {
  it('lists orphan stacks with why, where, and the entity their tag names', async () => {
    const api = mockStackyardApi([]);
    api.listOrphans.mockResolvedValue({
      items: [
        anOrphan(),
        anOrphan({
          stackName: 'mystery-dev',
          kind: 'unreadable-tags',
          entityRef: undefined,
          reason: 'stackyard:entity-ref "not a ref" does not parse',
        }),
      ],
    });
    renderSection(api);

    const gone = await orphanRow('gone-dev');
    expect(gone).toHaveTextContent('Entity not in the catalog');
    expect(gone).toHaveTextContent(
      'The catalog has no entity component:default/gone',
    );
    expect(gone).toHaveTextContent('sandbox · 123456789012 · eu-west-1');
    expect(gone).toHaveTextContent('CREATE_COMPLETE');
    expect(gone).toHaveTextContent('component:default/gone');
    const mystery = await orphanRow('mystery-dev');
    expect(mystery).toHaveTextContent('Unreadable tags');
    expect(mystery).toHaveTextContent(
      'stackyard:entity-ref "not a ref" does not parse',
    );
    expect(api.listOrphans).toHaveBeenCalledWith({
      limit: 25,
      cursor: undefined,
    });
  });

  it('lets an admin tear an orphan down after typing its name, then refreshes the list', async () => {
    const api = mockStackyardApi([]);
    const orphan = anOrphan();
    api.listOrphans
      .mockResolvedValueOnce({ items: [orphan] })
      .mockResolvedValue({ items: [] });
    const running = anOperation({
      id: 'op-9',
      type: 'teardown',
      state: 'running',
    });
    api.teardownOrphan.mockResolvedValue({ operation: running });
    api.getOperation.mockResolvedValue({ ...running, state: 'succeeded' });
    renderSection(api);

    await orphanRow('gone-dev');
    await waitFor(() =>
      expect(tearDownButton('gone-dev')).not.toHaveAttribute('aria-disabled'),
    );
    await userEvent.click(tearDownButton('gone-dev'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Tear down gone-dev?',
    });
    expect(dialog).toHaveTextContent(
      'This deletes the CloudFormation stack gone-dev (account 123456789012 in eu-west-1)',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Tear down' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Stack name to confirm'),
      'gone-dev',
    );
    await userEvent.click(confirm);

    expect(await within(dialog).findByText('Teardown finished.')).toBeVisible();
    expect(api.teardownOrphan).toHaveBeenCalledWith(orphan.id);
    expect(api.getOperation).toHaveBeenCalledWith('op-9');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByText(/No orphan stacks: every tagged stack/),
    ).toBeInTheDocument();
  });

  it("shows the server's message when it refuses", async () => {
    const api = mockStackyardApi([]);
    api.listOrphans.mockResolvedValue({ items: [anOrphan()] });
    api.teardownOrphan.mockRejectedValue(
      new StackyardApiError(
        'You are not allowed to tear down orphan stacks',
        403,
        'NotAllowedError',
      ),
    );
    renderSection(api);
    await orphanRow('gone-dev');
    await waitFor(() =>
      expect(tearDownButton('gone-dev')).not.toHaveAttribute('aria-disabled'),
    );
    await userEvent.click(tearDownButton('gone-dev'));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Stack name to confirm'),
      'gone-dev',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Tear down' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You are not allowed to tear down orphan stacks',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Tear down' }),
    ).toBeInTheDocument();
  });

  it('blocks a protected orphan, saying why, even for an admin', async () => {
    const api = mockStackyardApi([]);
    api.listOrphans.mockResolvedValue({
      items: [
        anOrphan({
          stackName: 'old-prod',
          protected: true,
          protectionReason: 'termination protection is on',
        }),
      ],
    });
    renderSection(api);
    await orphanRow('old-prod');
    const button = tearDownButton('old-prod');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription(
      'Protected: termination protection is on',
    );
    await userEvent.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it("shows the backend's error and retries", async () => {
    const api = mockStackyardApi([]);
    api.listOrphans
      .mockRejectedValueOnce(new StackyardApiError('Backend unavailable', 503))
      .mockResolvedValue({ items: [anOrphan()] });
    renderSection(api);
    expect(
      await screen.findByText(
        'Could not load the orphan stacks: Backend unavailable',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await orphanRow('gone-dev')).toBeInTheDocument();
  });
});
