import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { Approval } from '@stackyard/plugin-stackyard-common';
import { stackyardApiRef } from '../api/StackyardApi';
import { anEnvironment, mockStackyardApi } from '../__testUtils__/fixtures';
import {
  findPermittedButton,
  permissionApi,
} from '../__testUtils__/permissions';
import { ApprovalPanel } from './ApprovalPanel';

// usePermission caches decisions per resource, so each test has its own entity.
let entityCount = 0;

const approval = (environmentId: string): Approval => ({
  environmentId,
  state: 'pending',
  changeSetName: 'stackyard-1234',
  changeSetId:
    'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/stackyard-1234/x',
  changeSetCreatedAt: '2026-11-30T12:00:00Z',
  requestedBy: 'user:default/ada',
  requestedAt: '2026-11-30T12:00:01Z',
  diff: {
    iamStatements: [
      {
        change: 'added',
        resource: '<img src=x onerror=alert(1)>',
        effect: 'Allow',
        action: 's3:GetObject\ns3:PutObject',
        principal: 'AWS:${Role}',
        condition: '',
      },
    ],
    managedPolicies: [],
    securityGroupRules: [
      {
        change: 'removed',
        direction: 'ingress',
        group: '${Web.GroupId}',
        protocol: 'TCP 22',
        peer: '10.0.0.0/8',
      },
    ],
    replacedResources: [
      { logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', impact: 'replace' },
    ],
  },
});

async function renderPanel(options: { user: string; approver: boolean }) {
  entityCount += 1;
  const environment = anEnvironment({
    entityRef: `component:default/approval-${entityCount}`,
    status: 'awaiting-approval',
  });
  const api = mockStackyardApi([environment]);
  api.getApproval.mockResolvedValue(approval(environment.id));
  api.decideApproval.mockResolvedValue({
    approval: { ...approval(environment.id), state: 'approved' },
  });
  const onDecided = jest.fn();
  await renderInTestApp(
    <ApprovalPanel environment={environment} onDecided={onDecided} />,
    {
      apis: [
        [stackyardApiRef, api],
        [identityApiRef, mockApis.identity({ userEntityRef: options.user })],
        [
          permissionApiRef,
          permissionApi(options.approver, 'stackyard.deploy.approve'),
        ],
      ],
    },
  );
  return { api, environment, onDecided };
}

describe('ApprovalPanel', () => {
  it('shows the diff as tables of text, and lets an approver approve with a comment', async () => {
    const { api, environment, onDecided } = await renderPanel({
      user: 'user:default/carol',
      approver: true,
    });
    const iam = await screen.findByRole('table', { name: 'IAM statements' });
    // Values are text: markup in a value is shown, never rendered.
    expect(
      within(iam).getByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
    expect(within(iam).getByText('+ added')).toBeInTheDocument();
    const rules = screen.getByRole('table', { name: 'Security-group rules' });
    expect(within(rules).getByText('− removed')).toBeInTheDocument();
    expect(within(rules).getByText('TCP 22')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Replaced resources' }),
      ).getByText('replaced'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Managed policies' }),
    ).toBeNull();
    expect(
      screen.getByText(/Started by user:default\/ada/),
    ).toBeInTheDocument();

    await userEvent.type(
      await screen.findByLabelText('Comment (optional)'),
      'reviewed with security',
    );
    await userEvent.click(await findPermittedButton('Approve and deploy'));
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(api.decideApproval).toHaveBeenCalledWith(environment.id, {
      decision: 'approve',
      comment: 'reviewed with security',
    });
  });

  it('shows the person who started the deploy no approve button', async () => {
    await renderPanel({ user: 'user:default/ada', approver: true });
    expect(await screen.findByTestId('approval-own-deploy')).toHaveTextContent(
      'You started this deploy, so another approver has to review it.',
    );
    expect(
      screen.queryByRole('button', { name: 'Approve and deploy' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('blocks the buttons for someone who is not an approver, saying who can', async () => {
    const { api } = await renderPanel({
      user: 'user:default/eve',
      approver: false,
    });
    const reason =
      'Only members of the approver groups (stackyard.approvals.approverGroups) can approve or reject deploys';
    const button = await screen.findByRole('button', {
      name: 'Approve and deploy',
      description: reason,
    });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(button);
    expect(api.decideApproval).not.toHaveBeenCalled();
  });

  it('says why a decision was refused, e.g. a stale change set', async () => {
    const { api } = await renderPanel({
      user: 'user:default/carol',
      approver: true,
    });
    api.decideApproval.mockRejectedValue(
      new Error('The change set of "wo-dev" went stale and was not executed'),
    );
    await userEvent.click(await findPermittedButton('Approve and deploy'));
    expect(
      await screen.findByText(/went stale and was not executed/),
    ).toBeInTheDocument();
  });

  it('shows nothing for an environment that does not wait for approval', async () => {
    const environment = anEnvironment({ status: 'ready' });
    const api = mockStackyardApi([environment]);
    await renderInTestApp(
      <ApprovalPanel environment={environment} onDecided={jest.fn()} />,
      { apis: [[stackyardApiRef, api]] },
    );
    expect(screen.queryByTestId('approval-panel')).toBeNull();
    expect(api.getApproval).not.toHaveBeenCalled();
  });
});
