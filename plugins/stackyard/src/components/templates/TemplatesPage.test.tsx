import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  TemplateEntity,
  TemplateSummary,
  TemplateUpgrade,
} from '@stackyard/plugin-stackyard-common';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../../api/StackyardApi';
import { mockStackyardApi } from '../../__testUtils__/fixtures';
import { TemplatesContent } from './TemplatesPage';

function anUpgrade(patch: Partial<TemplateUpgrade> = {}): TemplateUpgrade {
  return {
    id: '7d0f4b3e-53a4-4c8e-9f67-2f5d0a1b6c01',
    templateName: 'serverless-service',
    entityRef: 'component:default/orders',
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    state: 'queued',
    progress: [],
    conflicts: [],
    actor: 'user:default/ada',
    createdAt: '2026-11-30T10:00:00Z',
    updatedAt: '2026-11-30T10:00:00Z',
    ...patch,
  };
}

function anEntity(patch: Partial<TemplateEntity> = {}): TemplateEntity {
  return {
    entityRef: 'component:default/orders',
    version: '1.0.0',
    behind: true,
    canUpgrade: true,
    ...patch,
  };
}

function aTemplate(entities: TemplateEntity[]): TemplateSummary {
  return {
    name: 'serverless-service',
    entityRef: 'template:default/serverless-service',
    title: 'Serverless service',
    owner: 'group:default/platform-team',
    latestVersion: '1.1.0',
    versions: [
      { version: '1.1.0', entities: 1 },
      { version: '1.0.0', entities: 2 },
    ],
    changelog: [
      {
        version: '1.1.0',
        date: '2026-11-30',
        notes: '- An alarm on the dead-letter queue depth.',
      },
      { version: '1.0.0', notes: '- First version.' },
    ],
    entities,
  };
}

const row = (entityRef: string) =>
  screen
    .getAllByTestId('template-entity')
    .find(r => within(r).queryByText(entityRef))!;

function renderPage(
  api: ReturnType<typeof mockStackyardApi>,
  path = '/stackyard/templates',
) {
  return renderInTestApp(<TemplatesContent pollIntervalMs={5} />, {
    apis: [[stackyardApiRef, api]],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('TemplatesContent', () => {
  it('shows versions with entity counts, the changelog since the oldest version in use, and which entities are behind', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        aTemplate([
          anEntity(),
          anEntity({ entityRef: 'component:default/billing' }),
          anEntity({
            entityRef: 'component:default/current',
            version: '1.1.0',
            behind: false,
          }),
        ]),
      ],
    });
    await renderPage(api);

    expect(
      await screen.findByRole('heading', { name: 'Serverless service 1.1.0' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1\.1\.0: 1 entity · 1\.0\.0: 2 entities/),
    ).toBeInTheDocument();
    const entries = screen.getAllByTestId('changelog-entry');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toHaveTextContent('1.1.0 (2026-11-30)');
    expect(entries[0]).toHaveTextContent(
      'An alarm on the dead-letter queue depth.',
    );
    expect(row('component:default/orders')).toHaveTextContent('1.0.0 Behind');
    expect(row('component:default/current')).not.toHaveTextContent('Behind');
    expect(
      within(row('component:default/current')).queryByRole('button'),
    ).not.toBeInTheDocument();
  });

  it('opens an upgrade of one entity and shows its progress, then its branch, conflicts and outcome', async () => {
    const api = mockStackyardApi([]);
    const merged = anUpgrade({
      state: 'conflicts',
      branch: 'stackyard/upgrade-1.1.0',
      conflicts: ['infra/app.js'],
      testsPassed: false,
      progress: ['Rendering 1.1.0', 'Merging'],
    });
    api.listTemplates
      .mockResolvedValueOnce({ templates: [aTemplate([anEntity()])] })
      .mockResolvedValueOnce({
        templates: [
          aTemplate([
            anEntity({
              lastUpgrade: anUpgrade({
                state: 'running',
                progress: ['Rendering 1.1.0'],
              }),
            }),
          ]),
        ],
      })
      .mockResolvedValue({
        templates: [aTemplate([anEntity({ lastUpgrade: merged })])],
      });
    api.startTemplateUpgrades.mockResolvedValue({ upgrades: [anUpgrade()] });
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Open upgrade of component:default/orders',
      }),
    );
    expect(api.startTemplateUpgrades).toHaveBeenCalledWith(
      'serverless-service',
      ['component:default/orders'],
    );
    await waitFor(() =>
      expect(row('component:default/orders')).toHaveTextContent(
        'Merged with conflicts (1.1.0)',
      ),
    );
    const result = within(row('component:default/orders')).getByTestId(
      'upgrade-result',
    );
    expect(result).toHaveTextContent(
      'Branch stackyard/upgrade-1.1.0 · tests failed · policy not run',
    );
    expect(result).toHaveTextContent('Conflicts in infra/app.js');
    expect(api.listTemplates).toHaveBeenCalledTimes(3);
  });

  it('upgrades a selection, preselecting the entity the Infra tab linked to', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        aTemplate([
          anEntity(),
          anEntity({ entityRef: 'component:default/billing' }),
        ]),
      ],
    });
    api.startTemplateUpgrades.mockResolvedValue({ upgrades: [] });
    await renderPage(
      api,
      '/stackyard/templates?entity=component%3Adefault%2Fbilling',
    );
    expect(
      await screen.findByRole('checkbox', {
        name: 'Select component:default/billing',
      }),
    ).toBeChecked();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select component:default/orders' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open upgrade of 2 selected' }),
    );
    expect(api.startTemplateUpgrades).toHaveBeenCalledWith(
      'serverless-service',
      ['component:default/billing', 'component:default/orders'],
    );
  });

  it('gives users who may not upgrade an entity no button, and says who can', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [aTemplate([anEntity({ canUpgrade: false })])],
    });
    await renderPage(api);
    const orders = await waitFor(() => row('component:default/orders'));
    expect(orders).toHaveTextContent(
      "Only its owners and the template's owners can upgrade it",
    );
    expect(within(orders).queryByRole('button')).not.toBeInTheDocument();
    expect(within(orders).queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('shows an upgrade a backend restart interrupted as failed, with what to do, and offers it again', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        aTemplate([
          anEntity({
            lastUpgrade: anUpgrade({
              state: 'failed',
              progress: [
                'Upgrading component:default/orders to 1.1.0',
                'Rendering 1.1.0',
                'Interrupted by a backend restart; open the upgrade again',
              ],
              error: 'Interrupted by a backend restart; open the upgrade again',
            }),
          }),
        ]),
      ],
    });
    await renderPage(api);
    const orders = await waitFor(() => row('component:default/orders'));
    const result = within(orders).getByTestId('upgrade-result');
    expect(result).toHaveTextContent('Failed (1.1.0)');
    expect(result).toHaveTextContent(
      'Interrupted by a backend restart; open the upgrade again',
    );
    expect(within(result).queryByRole('status')).not.toBeInTheDocument();
    expect(
      within(orders).getByRole('button', {
        name: 'Open upgrade of component:default/orders',
      }),
    ).toBeEnabled();
  });

  it('links the pull request of an upgrade of a repository on GitHub/GitLab, with its branch and conflicts', async () => {
    const url = 'https://github.com/acme/orders/pull/7';
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        aTemplate([
          anEntity({
            lastUpgrade: anUpgrade({
              state: 'conflicts',
              branch: 'stackyard/upgrade-1.1.0',
              conflicts: ['settings.yaml'],
              pullRequestUrl: url,
            }),
          }),
        ]),
      ],
    });
    await renderPage(api);
    const orders = await waitFor(() => row('component:default/orders'));
    const result = within(orders).getByTestId('upgrade-result');
    expect(result).toHaveTextContent('stackyard/upgrade-1.1.0');
    expect(result).toHaveTextContent('Conflicts in settings.yaml');
    expect(
      within(result).getByRole('link', { name: /Pull request/ }),
    ).toHaveAttribute('href', url);
  });

  it('says why the portal cannot upgrade an entity instead of offering it', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [
        aTemplate([
          anEntity({
            blockedReason: 'its repository is not published locally',
          }),
        ]),
      ],
    });
    await renderPage(api);
    const orders = await waitFor(() => row('component:default/orders'));
    expect(orders).toHaveTextContent(
      'Cannot be upgraded here: its repository is not published locally',
    );
    expect(within(orders).queryByRole('button')).not.toBeInTheDocument();
  });

  it('says why an upgrade could not start', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockResolvedValue({
      templates: [aTemplate([anEntity()])],
    });
    api.startTemplateUpgrades.mockRejectedValue(
      new StackyardApiError(
        'You may not upgrade component:default/orders',
        403,
        'NotAllowedError',
      ),
    );
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Open upgrade of component:default/orders',
      }),
    );
    expect(
      await screen.findByText(
        'Could not start: You may not upgrade component:default/orders',
      ),
    ).toBeInTheDocument();
  });

  it('says when the templates cannot be loaded', async () => {
    const api = mockStackyardApi([]);
    api.listTemplates.mockRejectedValue(new Error('backend down'));
    await renderPage(api);
    expect(
      await screen.findByText('Could not load the templates: backend down'),
    ).toBeInTheDocument();
  });
});
