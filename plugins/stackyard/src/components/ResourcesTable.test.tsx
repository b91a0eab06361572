import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  StackyardApiError,
  type Environment,
  type StackResource,
} from '@stackyard/plugin-stackyard-common';
import type { StackyardApi } from '../api/StackyardApi';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import { RESOURCES_PER_PAGE, ResourcesTable } from './ResourcesTable';

function renderTable(api: StackyardApi, environment: Environment) {
  return renderInTestApp(
    <ResourcesTable environment={environment} revision={0} />,
    { apis: [[stackyardApiRef, api]] },
  );
}

const table = () => screen.findByRole('table', { name: 'Stack resources' });
const rows = (t: HTMLElement) => within(t).getAllByTestId('resource-row');

describe('ResourcesTable', () => {
  it('lists resources of a stack on AWS with per-resource console links', async () => {
    const environment = anEnvironment();
    const api = mockStackyardApi([environment]);
    api.getResources.mockResolvedValue({
      source: 'cloudformation',
      fetchedAt: '2026-01-10T11:00:00Z',
      items: [
        {
          logicalId: 'Handler',
          type: 'AWS::Lambda::Function',
          physicalId: 'wo-dev-handler',
          status: 'CREATE_COMPLETE',
        },
        {
          logicalId: 'HandlerPermission',
          type: 'AWS::Lambda::Permission',
          physicalId: 'perm-1',
          status: 'UPDATE_FAILED',
          statusReason: 'boom',
        },
      ],
    });
    renderTable(api, environment);

    const [fn, permission] = rows(await table());
    expect(within(fn).getByTestId('resource-logical-id')).toHaveTextContent(
      'Handler',
    );
    expect(fn).toHaveTextContent('AWS::Lambda::Function');
    expect(fn).toHaveTextContent('wo-dev-handler');
    expect(
      within(fn).getByRole('link', { name: /^Handler in the AWS console,/ }),
    ).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/wo-dev-handler',
    );
    // No page of its own: the stack's resources tab.
    expect(
      within(permission).getByRole('link', {
        name: /^HandlerPermission in the AWS console \(stack resources\)/,
      }),
    ).toHaveAttribute('href', expect.stringContaining('#/stacks/resources'));
    expect(permission).toHaveTextContent('UPDATE_FAILED');
    expect(screen.getByTestId('resources-summary')).toHaveTextContent(
      '2 resources of 2 types',
    );
    expect(api.getResources).toHaveBeenCalledWith(environment.id);
  });

  it('marks resources of a local preview as not deployed, without links', async () => {
    const environment = anEnvironment({
      targetType: 'local',
      target: 'local',
      accountId: undefined,
      region: undefined,
    });
    const api = mockStackyardApi([environment]);
    api.getResources.mockResolvedValue({
      source: 'synthesized',
      items: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue' }],
    });
    renderTable(api, environment);

    const [queue] = rows(await table());
    expect(queue).toHaveTextContent('— not deployed');
    expect(within(queue).queryByRole('link')).toBeNull();
    expect(screen.getByTestId('resources-summary')).toHaveTextContent(
      '1 resource of 1 type (as synthesized)',
    );
  });

  it('paginates long lists', async () => {
    const environment = anEnvironment();
    const api = mockStackyardApi([environment]);
    const items: StackResource[] = Array.from({ length: 23 }, (_, i) => ({
      logicalId: `Fn${String(i).padStart(2, '0')}`,
      type: 'AWS::Lambda::Function',
      physicalId: `wo-dev-fn-${i}`,
    }));
    api.getResources.mockResolvedValue({ source: 'cloudformation', items });
    renderTable(api, environment);

    const first = rows(await table());
    expect(first).toHaveLength(RESOURCES_PER_PAGE);
    expect(first[0]).toHaveTextContent('Fn00');
    expect(
      screen.getByText(`1-${RESOURCES_PER_PAGE} of 23`),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    const last = rows(await table());
    expect(
      last.map(r => within(r).getByTestId('resource-logical-id').textContent),
    ).toEqual(['Fn20', 'Fn21', 'Fn22']);
  });

  it('falls back to counts by type when no list was recorded', async () => {
    const environment = anEnvironment({
      resources: { 'AWS::SQS::Queue': 2 },
    });
    const api = mockStackyardApi([environment]);
    renderTable(api, environment);
    const counts = await screen.findByRole('table', {
      name: 'Resource counts by type',
    });
    expect(counts).toHaveTextContent('AWS::SQS::Queue2');
  });

  it('says why a served list may be stale', async () => {
    const environment = anEnvironment();
    const api = mockStackyardApi([environment]);
    api.getResources.mockResolvedValue({
      source: 'cloudformation',
      fetchedAt: '2026-01-10T11:00:00Z',
      staleReason: 'CloudFormation could not be read: Rate exceeded',
      items: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue', physicalId: 'q' }],
    });
    renderTable(api, environment);
    expect(await screen.findByRole('status')).toHaveTextContent(
      /CloudFormation could not be read: Rate exceeded/,
    );
  });

  it("shows the backend's error and retries", async () => {
    const environment = anEnvironment();
    const api = mockStackyardApi([environment]);
    api.getResources.mockRejectedValueOnce(
      new StackyardApiError(
        'The resources of stack "wo-dev" are unknown',
        503,
        'ServiceUnavailableError',
      ),
    );
    api.getResources.mockResolvedValueOnce({
      source: 'cloudformation',
      items: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue', physicalId: 'q' }],
    });
    renderTable(api, environment);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the resources: The resources of stack "wo-dev" are unknown',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(async () => expect(rows(await table())).toHaveLength(1));
  });
});
