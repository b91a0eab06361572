import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import {
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef, type StackyardApi } from '../api/StackyardApi';
import {
  aSocketInspection,
  anEnvironment,
  anOperation,
  entity,
  mockStackyardApi,
} from '../__testUtils__/fixtures';
import { InfraContent } from './InfraContent';

function renderTab(
  api: StackyardApi,
  options: {
    allowed?: boolean;
    signals?: SignalApi;
    templates?: Parameters<typeof catalogApiMock>[0];
  } = {},
) {
  const apis = [
    [stackyardApiRef, api],
    [catalogApiRef, catalogApiMock(options.templates)],
    [permissionApiRef, permissionApi(options.allowed !== false)],
    ...(options.signals ? [[signalApiRef, options.signals]] : []),
  ] as const;
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <InfraContent />
    </EntityProvider>,
    { apis: apis as any },
  );
}

describe('InfraContent', () => {
  it('lists environments grouped by prefix with status, outputs, resources and alarms', async () => {
    const api = mockStackyardApi([
      anEnvironment({
        stage: 'prod',
        outputs: { ApiUrl: 'https://api.example.com', TableName: 'orders' },
        resources: { 'AWS::Lambda::Function': 3 },
        alarms: [
          { name: 'wo-prod-latency', type: 'metric', state: 'OK' },
          {
            name: 'wo-prod-errors',
            type: 'metric',
            state: 'ALARM',
            reason: 'Threshold crossed',
          },
        ],
      }),
      anEnvironment({ prefix: 'wo-42', stage: 'dev', status: 'failed' }),
    ]);
    renderTab(api);

    const prod = await screen.findByRole('region', { name: 'wo-prod' });
    expect(within(prod).getByTestId('environment-status')).toHaveTextContent(
      'Ready',
    );
    expect(
      within(prod).getByRole('link', { name: /^https:\/\/api\.example\.com/ }),
    ).toHaveAttribute('href', 'https://api.example.com');
    expect(within(prod).getByText('orders')).toBeInTheDocument();
    expect(within(prod).getByText('AWS::Lambda::Function')).toBeInTheDocument();
    const alarms = within(prod).getAllByTestId('alarm-row');
    expect(alarms.map(row => row.textContent)).toEqual([
      expect.stringContaining('wo-prod-errors'),
      expect.stringContaining('wo-prod-latency'),
    ]);
    expect(
      within(prod).getByRole('link', { name: /^wo-prod-errors/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(
        'cloudwatch/home?region=eu-west-1#alarmsV2:alarm/wo-prod-errors',
      ),
    );
    expect(
      screen.getByRole('heading', { name: 'Prefix wo' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Prefix wo-42' }),
    ).toBeInTheDocument();
    const branch = screen.getByRole('region', { name: 'wo-42-dev' });
    expect(within(branch).getByTestId('environment-status')).toHaveTextContent(
      'Failed',
    );
    expect(api.listEnvironments).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/work-orders-api',
      }),
    );
  });

  it('shows the last operation, its actor, and the local-preview label', async () => {
    const api = mockStackyardApi(
      [
        anEnvironment({
          targetType: 'local',
          target: 'local',
          region: undefined,
        }),
      ],
      {
        'env-wo-dev': {
          operations: [
            anOperation({ type: 'deploy', actor: 'user:default/ada' }),
          ],
        },
      },
    );
    renderTab(api);
    expect(
      await screen.findByText('local preview — not deployed to AWS'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('last-operation')).toHaveTextContent(
      /Last operation: deploy by user:default\/ada,.*succeeded/,
    );
    expect(
      screen.queryByRole('link', { name: /CloudFormation console/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the branch, short commit and discovery of a stack deployed outside the portal', async () => {
    const api = mockStackyardApi([
      anEnvironment({
        prefix: 'wo-42',
        createdBy: 'stackyard:discovery',
        branch: 'feature/wo-42-x',
        commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      }),
      anEnvironment({ stage: 'prod', createdBy: 'user:default/guest' }),
    ]);
    renderTab(api);

    const discovered = await screen.findByRole('region', { name: 'wo-42-dev' });
    expect(within(discovered).getByTestId('deployed-by')).toHaveTextContent(
      'discovered in AWS',
    );
    expect(within(discovered).getByTestId('git-revision')).toHaveTextContent(
      'branch feature/wo-42-x @ 1a2b3c4',
    );
    expect(within(discovered).getByText('1a2b3c4')).toHaveAttribute(
      'title',
      '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
    );
    expect(discovered).not.toHaveTextContent('stackyard:discovery');

    const portal = screen.getByRole('region', { name: 'wo-prod' });
    expect(within(portal).getByTestId('deployed-by')).toHaveTextContent(
      'created by user:default/guest',
    );
    expect(
      within(portal).queryByTestId('git-revision'),
    ).not.toBeInTheDocument();
    expect(portal).not.toHaveTextContent(/discovered|branch|commit/);
  });

  it('points to the Create page when the entity has no environments', async () => {
    renderTab(mockStackyardApi([]));
    expect(await screen.findByText('No environments yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create a service' }),
    ).toHaveAttribute('href', '/create');
  });

  it("shows the backend's error and retries", async () => {
    const api = mockStackyardApi([anEnvironment()]);
    api.listEnvironments.mockRejectedValueOnce(
      new StackyardApiError('Backend unavailable', 503),
    );
    renderTab(api);
    expect(
      await screen.findByText(
        /Could not load the environments of component:default\/work-orders-api: Backend unavailable/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'wo-dev' }),
    ).toBeInTheDocument();
  });

  it('follows cursors and pages through 50+ environments', async () => {
    const all = Array.from({ length: 55 }, (_, i) =>
      anEnvironment({ prefix: `wo-${100 + i}`, stage: 'dev' }),
    );
    const api = mockStackyardApi(all);
    api.listEnvironments.mockImplementation(async query => {
      const start = query?.cursor ? Number(query.cursor) : 0;
      const end = start + 30;
      return {
        items: all.slice(start, end),
        nextCursor: end < all.length ? String(end) : undefined,
      };
    });
    renderTab(api);
    expect(
      await screen.findByText('55 environments; page 1 of 3'),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('environment-card')).toHaveLength(20);
    expect(
      screen.getByRole('region', { name: 'wo-100-dev' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Go to page 3' }));
    expect(
      await screen.findByRole('region', { name: 'wo-154-dev' }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('environment-card')).toHaveLength(15);
    expect(api.listEnvironments).toHaveBeenCalledTimes(2);
  });

  it('hides deleted environments until asked', async () => {
    renderTab(
      mockStackyardApi([
        anEnvironment(),
        anEnvironment({ prefix: 'wo-7', status: 'deleted' }),
      ]),
    );
    await screen.findByRole('region', { name: 'wo-dev' });
    expect(
      screen.queryByRole('region', { name: 'wo-7-dev' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByLabelText('Show deleted environments (1)'),
    );
    expect(
      screen.getByRole('region', { name: 'wo-7-dev' }),
    ).toBeInTheDocument();
  });

  it('badges environments built from an older template version', async () => {
    renderTab(
      mockStackyardApi([
        anEnvironment({
          templateName: 'lambda-service',
          templateVersion: '1.2.0',
        }),
      ]),
      {
        templates: {
          entities: [
            {
              apiVersion: 'scaffolder.backstage.io/v1beta3',
              kind: 'Template',
              metadata: {
                name: 'lambda-service',
                namespace: 'default',
                annotations: { 'stackyard.io/template-version': '1.3.0' },
              },
              spec: {},
            },
          ],
        },
      },
    );
    expect(
      await screen.findByText('Newer version 1.3.0 available'),
    ).toBeInTheDocument();
  });

  it('updates an environment and its events live when a signal arrives', async () => {
    let deliver: (message: object) => void = () => {};
    const signals: SignalApi = {
      subscribe: (_channel, onMessage) => {
        deliver = onMessage as (message: object) => void;
        return { unsubscribe: () => {} };
      },
    };
    const environment = anEnvironment();
    const api = mockStackyardApi([environment]);
    renderTab(api, { signals });
    const card = await screen.findByRole('region', { name: 'wo-dev' });
    expect(within(card).getByTestId('environment-status')).toHaveTextContent(
      'Ready',
    );

    api.getEnvironment.mockResolvedValue({
      environment: {
        ...environment,
        status: 'deleting',
        activeOperationId: 'op-9',
      },
      operations: [
        anOperation({ id: 'op-9', type: 'teardown', state: 'running' }),
      ],
      recentEvents: [
        {
          eventId: 'e1',
          timestamp: '2026-01-10T12:00:00Z',
          logicalResourceId: 'OrdersTable',
          resourceStatus: 'DELETE_IN_PROGRESS',
        },
      ],
    });
    deliver({
      kind: 'environment',
      environmentId: environment.id,
      status: 'deleting',
    });

    await waitFor(() =>
      expect(within(card).getByTestId('environment-status')).toHaveTextContent(
        'Deleting',
      ),
    );
    await userEvent.click(
      within(card).getByRole('button', { name: 'Recent stack events' }),
    );
    expect(
      await within(card).findByText('DELETE_IN_PROGRESS'),
    ).toBeInTheDocument();
    expect(within(card).getByTestId('last-operation')).toHaveTextContent(
      /teardown by service:ci.*running/,
    );
  });

  it('extends a preview', async () => {
    const preview = anEnvironment({ expiresAt: '2099-01-01T00:00:00Z' });
    const api = mockStackyardApi([preview]);
    api.extendExpiry.mockResolvedValue({
      ...preview,
      expiresAt: '2099-01-02T00:00:00Z',
    });
    renderTab(api);
    await userEvent.click(await findPermittedButton('Extend by 24 h'));
    expect(api.extendExpiry).toHaveBeenCalledWith(preview.id, { hours: 24 });
    await waitFor(() =>
      expect(
        screen.getByTestId('preview-expiry').querySelector('time'),
      ).toHaveAttribute('datetime', '2099-01-02T00:00:00Z'),
    );
  });

  it('keeps the teardown dialog when a signal says the environment is gone', async () => {
    let deliver: (message: object) => void = () => {};
    const signals: SignalApi = {
      subscribe: (_channel, onMessage) => {
        deliver = onMessage as (message: object) => void;
        return { unsubscribe: () => {} };
      },
    };
    const environment = anEnvironment({ targetType: 'local', target: 'local' });
    const api = mockStackyardApi([environment]);
    api.teardown.mockResolvedValue({
      operation: anOperation({ type: 'teardown', state: 'succeeded' }),
    });
    renderTab(api, { signals });
    const card = await screen.findByRole('region', { name: 'wo-dev' });
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Tear down' }),
      ).not.toHaveAttribute('aria-disabled'),
    );
    await userEvent.click(
      within(card).getByRole('button', { name: 'Tear down' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Tear down wo-dev?' });
    await userEvent.type(
      within(dialog).getByLabelText('Stack name to confirm'),
      'wo-dev',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Tear down' }),
    );

    api.getEnvironment.mockResolvedValue({
      environment: { ...environment, status: 'deleted' },
      operations: [],
      recentEvents: [],
    });
    deliver({
      kind: 'environment',
      environmentId: environment.id,
      status: 'deleted',
    });
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'wo-dev' }),
      ).not.toBeInTheDocument(),
    );
    expect(within(dialog).getByText('Teardown finished.')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenCalledTimes(2);
  });

  it('says what a local preview does not run, and offers no runner when nothing runs', async () => {
    const commit = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
    const containers = anEnvironment({
      stage: 'dev',
      targetType: 'local',
      target: 'local',
      commit,
      statusReason:
        'Local preview: not deployed to AWS; containers are not run locally',
      outputs: {
        NotRunLocally: 'containers api, worker; databases main; caches jobs',
        RunsLocally: 'nothing',
      },
    });
    const mixed = anEnvironment({
      stage: 'test',
      targetType: 'local',
      target: 'local',
      commit,
      outputs: {
        NotRunLocally: 'containers api',
        RunsLocally: 'functions intake',
      },
    });
    const api = mockStackyardApi([containers, mixed]);
    renderTab(api);

    const dev = await screen.findByRole('region', { name: 'wo-dev' });
    expect(within(dev).getByTestId('not-run-locally')).toHaveTextContent(
      'Not run locally: containers api, worker; databases main; caches jobs. They are synthesized and checked against the safety policy only; nothing of this service runs in the local preview.',
    );
    const test = screen.getByRole('region', { name: 'wo-test' });
    expect(within(test).getByTestId('not-run-locally')).toHaveTextContent(
      'the preview runs its functions intake.',
    );
    // The runner's panel is offered where functions run, not where nothing does.
    expect(
      await within(test).findByRole('region', { name: 'Local preview' }),
    ).toBeInTheDocument();
    expect(
      within(dev).queryByRole('region', { name: 'Local preview' }),
    ).not.toBeInTheDocument();
    expect(api.getPreviewLogs).not.toHaveBeenCalledWith(
      containers.id,
      expect.anything(),
    );
  });

  it('shows the preview socket of local environments with a WebSocket API only', async () => {
    const local = anEnvironment({
      stage: 'dev',
      targetType: 'local',
      target: 'local',
      outputs: { WebSocketRoutes: '$connect, $default' },
    });
    const localWithoutSocket = anEnvironment({
      stage: 'test',
      targetType: 'local',
      target: 'local',
      outputs: { ApiUrl: 'https://example.com' },
    });
    const aws = anEnvironment({
      stage: 'prod',
      outputs: { WebSocketRoutes: '$connect, $default' },
    });
    const api = mockStackyardApi([local, localWithoutSocket, aws]);
    api.getSockets.mockResolvedValue(aSocketInspection(local.id));
    renderTab(api);

    const dev = await screen.findByRole('region', { name: 'wo-dev' });
    const socket = await within(dev).findByRole('region', {
      name: 'Preview socket',
    });
    expect(within(socket).getByText('1 live connection')).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'wo-prod' })).queryByText(
        'Preview socket',
      ),
    ).not.toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'wo-test' })).queryByText(
        'Preview socket',
      ),
    ).not.toBeInTheDocument();
    expect(api.getSockets).toHaveBeenCalledTimes(1);
    expect(api.getSockets).toHaveBeenCalledWith(local.id, { frames: 20 });
  });
});
