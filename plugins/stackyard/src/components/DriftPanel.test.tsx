import { useState } from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type {
  DriftReport,
  Environment,
} from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import {
  expectOwnersOnly,
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { DriftMark, DriftPanel } from './DriftPanel';

/** Renders the panel with an environment the test replaces, as a live update does. */
let showEnvironment: (environment: Environment) => void = () => {};
function LiveDriftPanel(props: { initial: Environment }) {
  const [environment, setEnvironment] = useState(props.initial);
  showEnvironment = setEnvironment;
  return <DriftPanel environment={environment} />;
}

// usePermission caches decisions per resource, so each test has its own entity.
let entityCount = 0;

const drifted: DriftReport = {
  drift: {
    status: 'drifted',
    checkedAt: '2026-11-30T12:05:00Z',
    driftedResources: 2,
  },
  resources: [
    {
      logicalId: 'Topic',
      type: 'AWS::SNS::Topic',
      status: 'DELETED',
      differences: [],
    },
    {
      logicalId: 'Handler',
      type: 'AWS::Lambda::Function',
      physicalId: 'orders-dev-fn',
      status: 'MODIFIED',
      differences: [
        {
          path: '/MemorySize',
          expected: '128',
          actual: '512',
          type: 'NOT_EQUAL',
        },
      ],
    },
    {
      logicalId: 'Queue',
      type: 'AWS::SQS::Queue',
      status: 'IN_SYNC',
      differences: [],
    },
  ],
};

function renderPanel(allowed: boolean, patch: Partial<Environment> = {}) {
  entityCount += 1;
  const environment = anEnvironment({
    entityRef: `component:default/drift-${entityCount}`,
    targetType: 'aws',
    ...patch,
  });
  const api = mockStackyardApi([environment]);
  renderInTestApp(<DriftPanel environment={environment} />, {
    apis: [
      [stackyardApiRef, api],
      [
        permissionApiRef,
        permissionApi(allowed, 'stackyard.environment.drift.check'),
      ],
    ],
  });
  return { api, environment };
}

describe('DriftPanel', () => {
  it('lets an owner check drift, shows progress, then the drifted resources with expected vs actual', async () => {
    entityCount += 1;
    const environment = anEnvironment({
      entityRef: `component:default/drift-${entityCount}`,
      targetType: 'aws',
    });
    const api = mockStackyardApi([environment]);
    api.checkDrift.mockResolvedValue({
      drift: { status: 'checking', checkedAt: '2026-11-30T12:04:00Z' },
      started: true,
    });
    api.getDrift.mockResolvedValue({
      drift: { status: 'checking', checkedAt: '2026-11-30T12:04:00Z' },
      resources: [],
    });
    await renderInTestApp(<LiveDriftPanel initial={environment} />, {
      apis: [
        [stackyardApiRef, api],
        [
          permissionApiRef,
          permissionApi(true, 'stackyard.environment.drift.check'),
        ],
      ],
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Drift not checked yet',
    );
    await userEvent.click(await findPermittedButton('Check drift'));
    expect(api.checkDrift).toHaveBeenCalledWith(environment.id);
    expect(await screen.findByText('Checking drift…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check drift' })).toBeDisabled();

    // The live update: the environment's drift changed.
    api.getDrift.mockResolvedValue(drifted);
    act(() => showEnvironment({ ...environment, drift: drifted.drift }));
    const table = await screen.findByRole('table', {
      name: 'Drifted resources',
    });
    expect(screen.getByRole('status')).toHaveTextContent(
      /2 of its resources changed outside CloudFormation/,
    );
    const rows = await waitFor(() => {
      const found = screen.getAllByTestId('drift-row');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(table).toBeInTheDocument();
    expect(rows.map(r => r.textContent)).toEqual([
      'Topic AWS::SNS::Topicdeleted———',
      'Handler AWS::Lambda::Functionmodified/MemorySize128512',
    ]);
  });

  it('without a live update, asks again while the check runs until it finished', async () => {
    const { api, environment } = renderPanel(true);
    api.checkDrift.mockResolvedValue({
      drift: { status: 'checking', checkedAt: '2026-11-30T12:04:00Z' },
      started: true,
    });
    api.getDrift
      .mockResolvedValueOnce({
        drift: { status: 'checking', checkedAt: '2026-11-30T12:04:00Z' },
        resources: [],
      })
      .mockResolvedValue(drifted);
    await userEvent.click(await findPermittedButton('Check drift'));
    expect(await screen.findByText('Checking drift…')).toBeInTheDocument();
    // DRIFT_POLL_MS later, the report says the check finished.
    expect(
      await screen.findByRole(
        'table',
        { name: 'Drifted resources' },
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    expect(api.getDrift).toHaveBeenCalledWith(environment.id);
    expect(screen.getByRole('status')).toHaveTextContent(
      /2 of its resources changed outside CloudFormation/,
    );
  }, 10_000);

  it('shows the last result of an in-sync stack without resources', async () => {
    const { api } = renderPanel(true, {
      drift: {
        status: 'in-sync',
        checkedAt: '2026-11-30T12:05:00Z',
        driftedResources: 0,
      },
    });
    api.getDrift.mockResolvedValue({
      drift: { status: 'in-sync', checkedAt: '2026-11-30T12:05:00Z' },
      resources: [drifted.resources[2]],
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      /In sync with its template/,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says why a check failed', async () => {
    renderPanel(true, {
      drift: {
        status: 'failed',
        checkedAt: '2026-11-30T12:05:00Z',
        reason: 'Rate exceeded',
      },
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Drift check failed: Rate exceeded',
    );
  });

  it('is blocked, saying who may, for someone who is not an owner', async () => {
    const { api, environment } = renderPanel(false);
    const button = await expectOwnersOnly(
      'Check drift',
      environment.entityRef,
      'check its environments for drift',
    );
    await userEvent.click(button);
    expect(api.checkDrift).not.toHaveBeenCalled();
  });

  it('shows the refusal when the check cannot start', async () => {
    const { api } = renderPanel(true);
    api.checkDrift.mockRejectedValue(
      new Error('2 drift checks already run in account 123456789012'),
    );
    await userEvent.click(await findPermittedButton('Check drift'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not check drift: 2 drift checks already run in account 123456789012',
    );
  });

  it('is not offered for local previews', async () => {
    renderPanel(true, { targetType: 'local', target: 'local' });
    await waitFor(() =>
      expect(screen.queryByTestId('drift-panel')).not.toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('button', { name: 'Check drift' }),
    ).not.toBeInTheDocument();
  });
});

describe('DriftMark', () => {
  it('marks a drifted environment, and nothing else', async () => {
    const { rerender } = await renderInTestApp(
      <DriftMark drift={{ status: 'drifted', driftedResources: 1 }} />,
    );
    expect(screen.getByTestId('drift-mark')).toHaveTextContent(
      'Drifted: 1 resource',
    );
    rerender(<DriftMark drift={{ status: 'in-sync' }} />);
    expect(screen.queryByTestId('drift-mark')).not.toBeInTheDocument();
  });
});
