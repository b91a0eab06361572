import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import {
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { LocalPreviewPanel } from './LocalPreviewPanel';

// usePermission caches decisions per resource, so each test has its own entity.
let entityCount = 0;

function setup(allowed: boolean, signals?: SignalApi) {
  entityCount += 1;
  const environment = anEnvironment({
    entityRef: `component:default/preview-${entityCount}`,
    targetType: 'local',
    commit: 'a1b2c3d',
  });
  const api = mockStackyardApi([environment]);
  api.getPreviewLogs.mockResolvedValue({
    state: 'running',
    functions: [
      {
        name: 'worker',
        lines: [
          {
            fn: 'worker',
            stream: 'stdout',
            text: 'wrote job j-1',
            at: '2026-11-30T12:00:01Z',
          },
        ],
      },
      { name: 'intake', lines: [] },
    ],
    queues: [
      { name: 'jobs', visible: 3, inFlight: 1, dlq: 'jobs-dlq' },
      { name: 'jobs-dlq', visible: 2, inFlight: 0 },
      {
        name: 'intake-dlq',
        visible: 1,
        inFlight: 0,
        dlqOfFunctions: ['intake'],
      },
      { name: 'audit', visible: 0, inFlight: 0 },
    ],
    tables: [{ name: 'items', items: 7 }],
  });
  const render = () =>
    renderInTestApp(
      <LocalPreviewPanel
        environmentId={environment.id}
        entityRef={environment.entityRef}
        pollIntervalMs={60_000}
      />,
      {
        apis: [
          [stackyardApiRef, api],
          [
            permissionApiRef,
            permissionApi(allowed, 'stackyard.environment.invoke'),
          ],
          ...(signals ? [[signalApiRef, signals] as const] : []),
        ],
      },
    );
  return { api, environment, render };
}

describe('LocalPreviewPanel', () => {
  it('shows the state, queue depths (dead-letter queues labelled as such), table item counts and recent log lines per function', async () => {
    const { render } = setup(true);
    await render();
    expect(await screen.findByTestId('preview-state')).toHaveTextContent(
      'running',
    );
    expect(
      screen.getByRole('row', {
        name: /queue jobs \(dead letters: jobs-dlq\) 3 1/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', { name: /table items 7/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', {
        name: 'dead-letter queue jobs-dlq (of jobs) 2 0',
      }),
    ).toBeInTheDocument();
    // A function's own dead-letter queue: no queue redrives into it.
    expect(
      screen.getByRole('row', {
        name: 'dead-letter queue intake-dlq (of function intake) 1 0',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', { name: 'queue audit 0 0' }),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Recent log lines of worker'),
    ).toHaveTextContent('wrote job j-1');
  });

  it("refetches on a signal of the preview's channel: a new log line shows without waiting for the poll", async () => {
    const channels: string[] = [];
    let deliver: (message: object) => void = () => {};
    const signals: SignalApi = {
      subscribe: (channel, onMessage) => {
        channels.push(channel);
        deliver = onMessage as (message: object) => void;
        return { unsubscribe: () => {} };
      },
    };
    const { api, environment, render } = setup(true, signals);
    await render();
    const log = await screen.findByLabelText('Recent log lines of worker');
    expect(log).toHaveTextContent('wrote job j-1');
    expect(channels).toContain(`stackyard:preview:${environment.id}`);
    const before = api.getPreviewLogs.mock.calls.length;
    api.getPreviewLogs.mockResolvedValue({
      state: 'running',
      functions: [
        {
          name: 'worker',
          lines: [
            {
              fn: 'worker',
              stream: 'stdout',
              text: 'wrote job j-2',
              at: '2026-11-30T12:00:02Z',
            },
          ],
        },
      ],
      queues: [],
      tables: [],
    });
    // The poll is a minute away: only the signal can bring the line.
    act(() => deliver({ kind: 'preview', environmentId: environment.id }));
    await waitFor(() =>
      expect(
        screen.getByLabelText('Recent log lines of worker'),
      ).toHaveTextContent('wrote job j-2'),
    );
    expect(api.getPreviewLogs.mock.calls.length).toBe(before + 1);
  });

  it('lets an owner invoke a function and shows the result and duration', async () => {
    const { api, environment, render } = setup(true);
    api.invokeFunction.mockResolvedValue({
      function: 'intake',
      ok: true,
      result: { accepted: 'j-2' },
      durationMs: 12.4,
    });
    await render();
    await userEvent.click(await findPermittedButton('Invoke'));
    const fn = screen.getByLabelText('Function');
    expect(fn).toHaveValue('worker');
    await userEvent.clear(fn);
    await userEvent.type(fn, 'intake');
    const payload = screen.getByLabelText('Payload (JSON)');
    await userEvent.clear(payload);
    await userEvent.type(payload, '{{"job":"j-2"}');
    await userEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    const result = await screen.findByTestId('invoke-result');
    expect(result).toHaveTextContent('intake returned in 12 ms');
    expect(result).toHaveTextContent('"accepted": "j-2"');
    expect(api.invokeFunction).toHaveBeenCalledWith(environment.id, {
      function: 'intake',
      payload: { job: 'j-2' },
    });
  });

  it("shows a handler's error with its stack, and refuses a payload that is not JSON without calling the backend", async () => {
    const { api, render } = setup(true);
    api.invokeFunction.mockResolvedValue({
      function: 'worker',
      ok: false,
      error: {
        name: 'TypeError',
        message: 'boom',
        stack: 'TypeError: boom\n    at handler (index.js:3:9)',
      },
      durationMs: 3,
    });
    await render();
    await userEvent.click(await findPermittedButton('Invoke'));
    const payload = screen.getByLabelText('Payload (JSON)');
    await userEvent.clear(payload);
    await userEvent.type(payload, 'not json');
    await userEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not JSON');
    expect(api.invokeFunction).not.toHaveBeenCalled();
    await userEvent.clear(payload);
    await userEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    const result = await screen.findByTestId('invoke-result');
    expect(result).toHaveTextContent('worker failed in 3 ms: TypeError: boom');
    expect(result).toHaveTextContent('at handler (index.js:3:9)');
  });

  it("offers a sleeping preview's functions in the Invoke dialog, and not the runner's own lines", async () => {
    const { api, render } = setup(true);
    api.getPreviewLogs.mockResolvedValue({
      state: 'sleeping',
      functions: [
        { name: 'intake', lines: [] },
        { name: 'worker', lines: [] },
        {
          name: '(runner)',
          lines: [
            {
              fn: '(runner)',
              stream: 'stderr',
              text: 'note',
              at: '2026-11-30T12:00:01Z',
            },
          ],
        },
      ],
      queues: [],
      tables: [],
    });
    await render();
    expect(await screen.findByTestId('preview-state')).toHaveTextContent(
      'sleeping',
    );
    await userEvent.click(await findPermittedButton('Invoke'));
    expect(screen.getByLabelText('Function')).toHaveValue('intake');
    expect(
      screen.getByText("The service's functions: intake, worker"),
    ).toBeInTheDocument();
  });

  it('blocks the Invoke button for those who do not own the entity', async () => {
    const { render } = setup(false);
    await render();
    const button = await screen.findByRole('button', { name: 'Invoke' });
    await waitFor(() =>
      expect(button).toHaveAttribute('aria-disabled', 'true'),
    );
  });
});
