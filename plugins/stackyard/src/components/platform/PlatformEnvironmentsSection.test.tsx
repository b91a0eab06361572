import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../../__testUtils__/fixtures';
import { PLATFORM_PAGE_SIZE } from '../../hooks/usePlatformEnvironments';
import { PlatformEnvironmentsSection } from './PlatformEnvironmentsSection';

function renderSection(
  api: ReturnType<typeof mockStackyardApi>,
  signals?: SignalApi,
) {
  const apis = [
    [stackyardApiRef, api],
    ...(signals ? [[signalApiRef, signals]] : []),
  ] as const;
  return renderInTestApp(<PlatformEnvironmentsSection filterDebounceMs={0} />, {
    apis: apis as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

const row = (stackName: string) =>
  screen
    .getAllByTestId('platform-environment')
    .find(r => within(r).queryByText(stackName));

describe('PlatformEnvironmentsSection', () => {
  it("lists every entity's environments, each linked to its Infra tab, with marks", async () => {
    const api = mockStackyardApi([
      anEnvironment({
        stage: 'prod',
        templateName: 'serverless-service',
        templateVersion: '1.2.0',
        costCenter: 'CC-42',
        drift: {
          status: 'drifted',
          driftedResources: 2,
          checkedAt: '2026-01-10T12:00:00Z',
        },
      }),
      anEnvironment({
        prefix: 'gone',
        entityRef: 'component:team-a/gone',
        entityMissingSince: '2026-01-09T08:00:00Z',
        expiresAt: '2026-01-12T10:00:00Z',
        status: 'failed',
      }),
      anEnvironment({ prefix: 'quiet', drift: { status: 'in-sync' } }),
    ]);
    renderSection(api);

    const prod = await screen.findByRole('link', { name: 'wo-prod' });
    expect(prod).toHaveAttribute(
      'href',
      '/catalog/default/component/work-orders-api/infra',
    );
    expect(screen.getByRole('link', { name: 'gone-dev' })).toHaveAttribute(
      'href',
      '/catalog/team-a/component/gone/infra',
    );

    const prodRow = row('wo-prod')!;
    expect(prodRow).toHaveTextContent('serverless-service 1.2.0');
    expect(prodRow).toHaveTextContent('CC-42');
    expect(prodRow).toHaveTextContent('sandbox · 123456789012 · eu-west-1');
    expect(within(prodRow).getByTestId('drift-mark')).toHaveTextContent(
      'Drifted: 2 resources',
    );
    expect(
      within(prodRow).queryByTestId('entity-missing-mark'),
    ).not.toBeInTheDocument();

    const goneRow = row('gone-dev')!;
    expect(within(goneRow).getByTestId('environment-status')).toHaveTextContent(
      'Failed',
    );
    expect(
      within(goneRow).getByTestId('entity-missing-mark'),
    ).toHaveTextContent('Entity missing from the catalog');
    expect(goneRow.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-01-12T10:00:00Z',
    );

    const quietRow = row('quiet-dev')!;
    expect(
      within(quietRow).queryByTestId('drift-mark'),
    ).not.toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenCalledWith({
      limit: PLATFORM_PAGE_SIZE,
      cursor: undefined,
    });
  });

  it('asks the backend for what the filters say, from page 1', async () => {
    const api = mockStackyardApi([anEnvironment()]);
    renderSection(api);
    await screen.findByRole('link', { name: 'wo-dev' });

    await userEvent.type(screen.getByLabelText('Target'), ' sandbox ');
    await userEvent.type(screen.getByLabelText('Stage'), 'preview');
    await userEvent.type(
      screen.getByLabelText('Template'),
      'serverless-service',
    );
    await userEvent.type(screen.getByLabelText('Cost center'), 'CC-42');
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Failed' }),
    );
    await userEvent.click(screen.getByLabelText('Expiring'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Within 24 hours' }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Entity missing from the catalog' }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Drifted' }));

    await waitFor(() =>
      expect(api.listEnvironments).toHaveBeenLastCalledWith({
        target: 'sandbox',
        stage: 'preview',
        templateName: 'serverless-service',
        costCenter: 'CC-42',
        status: 'failed',
        expiringWithinHours: 24,
        entityMissing: true,
        drifted: true,
        limit: PLATFORM_PAGE_SIZE,
        cursor: undefined,
      }),
    );
  });

  it('says when no environment matches the filters', async () => {
    const api = mockStackyardApi([]);
    renderSection(api);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'No environments yet',
    );
    await userEvent.type(screen.getByLabelText('Stage'), 'qa');
    await waitFor(() =>
      expect(api.listEnvironments).toHaveBeenLastCalledWith({
        stage: 'qa',
        limit: PLATFORM_PAGE_SIZE,
        cursor: undefined,
      }),
    );
    expect(
      await screen.findByText('No environment matches these filters.'),
    ).toBeInTheDocument();
  });

  it('pages with the cursors the backend returns, forward and back', async () => {
    const all = Array.from({ length: 60 }, (_, i) =>
      anEnvironment({ prefix: `svc-${100 + i}` }),
    );
    const api = mockStackyardApi(all);
    api.listEnvironments.mockImplementation(async query => {
      const start = query?.cursor ? Number(query.cursor) : 0;
      const end = start + (query?.limit ?? 50);
      return {
        items: all.slice(start, end),
        nextCursor: end < all.length ? String(end) : undefined,
      };
    });
    renderSection(api);

    await screen.findByRole('link', { name: 'svc-100-dev' });
    expect(screen.getAllByTestId('platform-environment')).toHaveLength(
      PLATFORM_PAGE_SIZE,
    );
    const pager = screen.getByRole('navigation', { name: 'Environment pages' });
    expect(within(pager).getByText('Page 1')).toBeInTheDocument();
    expect(
      within(pager).getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(
      within(pager).getByRole('button', { name: 'Next page' }),
    );
    await screen.findByRole('link', { name: 'svc-125-dev' });
    await userEvent.click(
      within(pager).getByRole('button', { name: 'Next page' }),
    );
    await screen.findByRole('link', { name: 'svc-150-dev' });
    expect(screen.getAllByTestId('platform-environment')).toHaveLength(10);
    expect(within(pager).getByText('Page 3')).toBeInTheDocument();
    expect(
      within(pager).getByRole('button', { name: 'Next page' }),
    ).toBeDisabled();

    await userEvent.click(
      within(pager).getByRole('button', { name: 'Previous page' }),
    );
    await screen.findByRole('link', { name: 'svc-125-dev' });
    expect(api.listEnvironments.mock.calls.map(([q]) => q?.cursor)).toEqual([
      undefined,
      '25',
      '50',
      '25',
    ]);
  });

  it('starts again at page 1 when the filters change', async () => {
    const all = Array.from({ length: 30 }, (_, i) =>
      anEnvironment({ prefix: `svc-${100 + i}` }),
    );
    const api = mockStackyardApi(all);
    api.listEnvironments.mockImplementation(async query => {
      const start = query?.cursor ? Number(query.cursor) : 0;
      const end = start + (query?.limit ?? 50);
      return {
        items: all.slice(start, end),
        nextCursor: end < all.length ? String(end) : undefined,
      };
    });
    renderSection(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    await screen.findByRole('link', { name: 'svc-125-dev' });

    await userEvent.type(screen.getByLabelText('Stage'), 'dev');
    await screen.findByRole('link', { name: 'svc-100-dev' });
    expect(api.listEnvironments).toHaveBeenLastCalledWith({
      stage: 'dev',
      limit: PLATFORM_PAGE_SIZE,
      cursor: undefined,
    });
    expect(
      screen.getByRole('navigation', { name: 'Environment pages' }),
    ).toHaveTextContent('Page 1');
  });

  it("follows each row's entity channel: a signal about a row refetches it", async () => {
    const channels: string[] = [];
    const deliver = new Map<string, (message: object) => void>();
    const signals: SignalApi = {
      subscribe: (channel, onMessage) => {
        channels.push(channel);
        deliver.set(channel, onMessage as (message: object) => void);
        return { unsubscribe: () => {} };
      },
    };
    const prod = anEnvironment({ stage: 'prod' });
    const other = anEnvironment({
      prefix: 'pay',
      entityRef: 'component:default/Payments',
    });
    const api = mockStackyardApi([prod, other]);
    renderSection(api, signals);
    await screen.findByRole('link', { name: 'wo-prod' });
    expect(new Set(channels)).toEqual(
      new Set([
        'stackyard:entity:component:default/work-orders-api',
        'stackyard:entity:component:default/payments',
      ]),
    );

    api.getEnvironment.mockResolvedValue({
      environment: { ...prod, status: 'deleting' },
      operations: [],
      recentEvents: [],
    });
    deliver.get('stackyard:entity:component:default/work-orders-api')!({
      kind: 'environment',
      environmentId: prod.id,
      status: 'deleting',
    });
    await waitFor(() =>
      expect(
        within(row('wo-prod')!).getByTestId('environment-status'),
      ).toHaveTextContent('Deleting'),
    );
    expect(api.getEnvironment).toHaveBeenCalledTimes(1);
    expect(api.getEnvironment).toHaveBeenCalledWith(prod.id);
    expect(
      within(row('pay-dev')!).getByTestId('environment-status'),
    ).toHaveTextContent('Ready');
  });

  it("shows the backend's error and retries", async () => {
    const api = mockStackyardApi([anEnvironment()]);
    api.listEnvironments.mockRejectedValueOnce(
      new StackyardApiError('Backend unavailable', 503),
    );
    renderSection(api);
    expect(
      await screen.findByText(
        'Could not load the environments: Backend unavailable',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('link', { name: 'wo-dev' }),
    ).toBeInTheDocument();
  });
});
