import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef } from '@backstage/frontend-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { StackyardApiError } from '@stackyard/plugin-stackyard-common';
import type { StackyardApi } from '../api/StackyardApi';
import { stackyardApiRef } from '../api/StackyardApi';
import {
  aSocketConnection,
  aSocketFrame,
  aSocketInspection,
  mockStackyardApi,
} from '../__testUtils__/fixtures';
import {
  expectOwnersOnly,
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { PreviewSocketPanel } from './PreviewSocketPanel';
import { FRAMES_SHOWN } from './PreviewSocketFrames';

const environmentId = 'env-wo-dev';

// usePermission caches decisions per resource across renders, so every
// render uses an entity of its own.
let entityCount = 0;
let entityRef = '';

function renderPanel(
  api: StackyardApi,
  pollIntervalMs?: number,
  { allowed = true } = {},
) {
  entityCount += 1;
  entityRef = `component:default/socketed-${entityCount}`;
  return renderInTestApp(
    <PreviewSocketPanel
      environmentId={environmentId}
      entityRef={entityRef}
      pollIntervalMs={pollIntervalMs}
    />,
    {
      apis: [
        [stackyardApiRef, api],
        [
          permissionApiRef,
          permissionApi(allowed, 'stackyard.environment.socket.manage'),
        ],
        [
          discoveryApiRef,
          mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        ],
      ],
    },
  );
}

function apiWithSockets(...answers: ReturnType<typeof aSocketInspection>[]) {
  const api = mockStackyardApi([]);
  const last = answers[answers.length - 1];
  for (const answer of answers) api.getSockets.mockResolvedValueOnce(answer);
  api.getSockets.mockResolvedValue(last);
  return api;
}

const sleep = (ms: number) =>
  act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));

async function openInspector() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Socket inspector' }),
  );
}

/** Closes the inspector and lets a poll under way finish. */
async function closeInspector() {
  await userEvent.click(
    screen.getByRole('button', { name: 'Socket inspector' }),
  );
  await sleep(50);
}

describe('PreviewSocketPanel', () => {
  it('shows routes and connections without frames to a user who may not manage the sockets (403 on frames)', async () => {
    const api = mockStackyardApi([]);
    api.getSockets.mockImplementation(async (_id, query) => {
      if (query?.frames !== 0) {
        throw new StackyardApiError(
          'You may not manage the preview sockets',
          403,
        );
      }
      return aSocketInspection(environmentId, {
        connections: [aSocketConnection({ connectionId: 'conn-a' })],
      });
    });
    renderPanel(api);

    const panel = await screen.findByRole('region', { name: 'Preview socket' });
    expect(within(panel).getByText('1 live connection')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.getSockets).toHaveBeenLastCalledWith(environmentId, {
      frames: 0,
    });

    // Once refused, a refresh asks without frames at once: one request.
    const calls = api.getSockets.mock.calls.length;
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh preview socket' }),
    );
    const since = () => api.getSockets.mock.calls.slice(calls);
    await waitFor(() =>
      expect(since()).toContainEqual([environmentId, { frames: 0 }]),
    );
    expect(since()).toEqual([[environmentId, { frames: 0 }]]);
  });

  it('blocks the connection key, send and disconnect, saying who may, for someone who may not manage the sockets', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    renderPanel(api, undefined, { allowed: false });
    await openInspector();

    const buttons = [
      await expectOwnersOnly(
        'New connection key',
        entityRef,
        'create connection keys',
      ),
      await expectOwnersOnly(
        'Send test message to conn-a',
        entityRef,
        'send messages to its preview sockets',
      ),
      await expectOwnersOnly(
        'Disconnect conn-a',
        entityRef,
        'disconnect its preview sockets',
      ),
    ];
    for (const button of buttons) await userEvent.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.rotateConnectionKey).not.toHaveBeenCalled();
    expect(api.sendToConnection).not.toHaveBeenCalled();
    expect(api.disconnect).not.toHaveBeenCalled();
  });

  it('lets an owner use the connection key, send and disconnect buttons', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    renderPanel(api);
    await openInspector();
    for (const name of [
      'New connection key',
      'Send test message to conn-a',
      'Disconnect conn-a',
    ]) {
      const button = await findPermittedButton(name);
      expect(button).not.toHaveAccessibleDescription();
    }
  });

  it('shows the socket URL on the backend and the live connection count', async () => {
    const api = apiWithSockets(
      aSocketInspection(environmentId, {
        connections: [
          aSocketConnection({ connectionId: 'conn-a' }),
          aSocketConnection({ connectionId: 'conn-b' }),
        ],
      }),
    );
    renderPanel(api);

    const panel = await screen.findByRole('region', { name: 'Preview socket' });
    expect(within(panel).getByText('2 live connections')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('preview-socket-url')).toHaveTextContent(
        `ws://localhost:7007/api/stackyard/sockets/${environmentId}/dev`,
      ),
    );
    // Only the frames the inspector lists are asked for.
    expect(api.getSockets).toHaveBeenCalledWith(environmentId, {
      frames: FRAMES_SHOWN,
    });
  });

  it('shows nothing for an environment without a socket API (404)', async () => {
    const api = mockStackyardApi([]);
    renderPanel(api);

    await waitFor(() => expect(api.getSockets).toHaveBeenCalled());
    await sleep(20);
    expect(screen.queryByText(/preview socket/i)).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows an error, and loads on Refresh', async () => {
    const api = mockStackyardApi([]);
    api.getSockets
      .mockRejectedValueOnce(new StackyardApiError('backend down', 503))
      .mockResolvedValue(aSocketInspection(environmentId));
    renderPanel(api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the preview socket: backend down',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh preview socket' }),
    );
    expect(await screen.findByText('1 live connection')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('lists the recent frames, newest first, with direction and preview', async () => {
    const api = apiWithSockets(
      aSocketInspection(environmentId, {
        recentFrames: [
          aSocketFrame({
            at: '2026-01-10T10:01:00Z',
            preview: '{"action":"ping"}',
          }),
          aSocketFrame({
            at: '2026-01-10T10:01:01Z',
            direction: 'out',
            preview: 'pong',
            routeKey: undefined,
            size: 4,
          }),
        ],
      }),
    );
    renderPanel(api);
    await openInspector();

    const frames = within(
      await screen.findByRole('table', { name: 'Recent frames' }),
    ).getAllByTestId('socket-frame');
    expect(frames).toHaveLength(2);
    expect(frames[0]).toHaveTextContent('out (to client)');
    expect(frames[0]).toHaveTextContent('pong');
    expect(frames[0]).toHaveTextContent('4 B');
    expect(frames[1]).toHaveTextContent('in (from client)');
    expect(frames[1]).toHaveTextContent('{"action":"ping"}');
    expect(frames[1]).toHaveTextContent('ping');
  });

  it('sends a test message to a connection', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    renderPanel(api);
    await openInspector();

    await userEvent.click(
      await findPermittedButton('Send test message to conn-a'),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Send a test message to conn-a',
    });
    const message = within(dialog).getByRole('textbox', { name: 'Message' });
    await userEvent.clear(message);
    await userEvent.type(message, 'hello');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send' }));

    expect(api.sendToConnection).toHaveBeenCalledWith(environmentId, 'conn-a', {
      data: 'hello',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it("shows the backend's refusal to send in the dialog", async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    api.sendToConnection.mockRejectedValue(
      new StackyardApiError('Connection conn-a is gone', 404),
    );
    renderPanel(api);
    await openInspector();

    await userEvent.click(
      await findPermittedButton('Send test message to conn-a'),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not send: Connection conn-a is gone',
    );
    expect(dialog).toBeInTheDocument();
  });

  it('disconnects a connection and drops its row after the refresh', async () => {
    const both = aSocketInspection(environmentId, {
      connections: [
        aSocketConnection({ connectionId: 'conn-a' }),
        aSocketConnection({ connectionId: 'conn-b' }),
      ],
    });
    const api = mockStackyardApi([]);
    api.getSockets.mockResolvedValue(both);
    api.disconnect.mockImplementation(async () => {
      api.getSockets.mockResolvedValue({
        ...both,
        connections: [aSocketConnection({ connectionId: 'conn-b' })],
      });
    });
    renderPanel(api);
    await openInspector();

    const table = await screen.findByRole('table', {
      name: 'Live connections',
    });
    expect(within(table).getAllByTestId('socket-connection')).toHaveLength(2);
    await userEvent.click(
      await findPermittedButton('Disconnect conn-a', within(table)),
    );

    expect(api.disconnect).toHaveBeenCalledWith(environmentId, 'conn-a');
    await waitFor(() =>
      expect(
        within(table)
          .getAllByTestId('socket-connection')
          .map(row => row.querySelector('code')?.textContent),
      ).toEqual(['conn-b']),
    );
    expect(screen.getByText('1 live connection')).toBeInTheDocument();
  });

  it('shows a failed disconnect', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    api.disconnect.mockRejectedValue(new StackyardApiError('Forbidden', 403));
    renderPanel(api);
    await openInspector();

    await userEvent.click(await findPermittedButton('Disconnect conn-a'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not disconnect: Forbidden',
    );
  });

  it('polls only while the inspector is open, and stops when it closes', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    renderPanel(api, 30);
    await screen.findByText('1 live connection');
    await sleep(150);
    expect(api.getSockets).toHaveBeenCalledTimes(1);

    await openInspector();
    await waitFor(() =>
      expect(api.getSockets.mock.calls.length).toBeGreaterThanOrEqual(4),
    );

    await closeInspector();
    const afterClose = api.getSockets.mock.calls.length;
    await sleep(150);
    expect(api.getSockets).toHaveBeenCalledTimes(afterClose);
  });

  it('stops polling when unmounted', async () => {
    const api = apiWithSockets(aSocketInspection(environmentId));
    const { unmount } = renderPanel(api, 30);
    await openInspector();
    await waitFor(() =>
      expect(api.getSockets.mock.calls.length).toBeGreaterThanOrEqual(3),
    );

    await sleep(10);
    unmount();
    const atUnmount = api.getSockets.mock.calls.length;
    await sleep(150);
    expect(api.getSockets).toHaveBeenCalledTimes(atUnmount);
  });

  it('skips polls while the page is hidden', async () => {
    const visibility = jest
      .spyOn(document, 'visibilityState', 'get')
      .mockReturnValue('hidden');
    try {
      const api = apiWithSockets(aSocketInspection(environmentId));
      renderPanel(api, 30);
      await openInspector();
      await waitFor(() => expect(api.getSockets).toHaveBeenCalledTimes(2));
      await sleep(150);
      expect(api.getSockets).toHaveBeenCalledTimes(2);

      visibility.mockReturnValue('visible');
      await waitFor(() =>
        expect(api.getSockets.mock.calls.length).toBeGreaterThan(2),
      );
      await closeInspector();
    } finally {
      visibility.mockRestore();
    }
  });
});
