import type { IoMessage, IoRequest } from '@aws-cdk/toolkit-lib';
import {
  DEPLOY_CONFIRMATION_CODE,
  DESTROY_CONFIRMATION_CODE,
  STACK_ACTIVITY_CODE,
  GuardedIoHost,
  HeldForApproval,
} from './GuardedIoHost';

const mockLog = () => ({
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
  debug: jest.fn(),
});

function request(
  code: string,
  data: unknown,
  defaultResponse: unknown,
): IoRequest<unknown, any> {
  return {
    time: new Date(),
    level: 'info',
    action: 'deploy',
    code: code as IoRequest<unknown, any>['code'],
    message:
      'Stack includes security-sensitive updates. Do you wish to deploy these changes?',
    data,
    defaultResponse,
  };
}

function message(
  code: string,
  level: IoMessage<unknown>['level'],
  text: string,
  data?: unknown,
): IoMessage<unknown> {
  return {
    time: new Date(),
    level,
    action: 'deploy',
    code: code as IoMessage<unknown>['code'],
    message: text,
    data,
  };
}

describe('GuardedIoHost (toolkit-lib IO host, unit)', () => {
  it('refuses a deploy that broadens permissions without approval, and says so in the log', async () => {
    const logger = mockLog();
    const host = new GuardedIoHost(logger, {
      approveBroadening: false,
      approvalHint: 're-run with --require-approval never',
    });
    const answer = await host.requestResponse(
      request(
        DEPLOY_CONFIRMATION_CODE,
        { permissionChangeType: 'broadening' },
        true,
      ),
    );
    expect(answer).toBe(false);
    expect(host.refusedBroadening).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'broadens IAM or security-group permissions; review it, then re-run with --require-approval never',
      ),
    );
  });

  it('holds a broadening deploy for a reviewer: leaves the question unanswered (so the change set is kept) with the diff as data', async () => {
    const logger = mockLog();
    const host = new GuardedIoHost(logger, {
      approveBroadening: false,
      holdBroadening: true,
    });
    const none = { additions: [], removals: [] };
    const templateDiffs = {
      'orders-dev': {
        iamChanges: {
          statements: {
            additions: [
              {
                render: () => ({
                  resource: '*',
                  effect: 'Allow',
                  action: 's3:*',
                  principal: 'AWS:${Role}',
                  condition: '',
                }),
              },
            ],
            removals: [],
          },
          managedPolicies: none,
        },
        securityGroupChanges: { ingress: none, egress: none },
        resources: { changes: {} },
      },
    };
    const answer = host.requestResponse(
      request(
        DEPLOY_CONFIRMATION_CODE,
        { permissionChangeType: 'broadening', templateDiffs },
        true,
      ),
    );
    await expect(answer).rejects.toBeInstanceOf(HeldForApproval);
    expect(host.refusedBroadening).toBe(false);
    expect(host.held?.iamStatements).toEqual([
      {
        change: 'added',
        resource: '*',
        effect: 'Allow',
        action: 's3:*',
        principal: 'AWS:${Role}',
        condition: '',
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Held for approval'),
    );
    // Approval wins over holding; other changes are confirmed as before.
    const approved = new GuardedIoHost(mockLog(), {
      approveBroadening: true,
      holdBroadening: true,
    });
    await expect(
      approved.requestResponse(
        request(
          DEPLOY_CONFIRMATION_CODE,
          { permissionChangeType: 'broadening', templateDiffs },
          false,
        ),
      ),
    ).resolves.toBe(true);
    await expect(
      host.requestResponse(
        request(
          DEPLOY_CONFIRMATION_CODE,
          { permissionChangeType: 'non-broadening' },
          false,
        ),
      ),
    ).resolves.toBe(true);
  });

  it('confirms a broadening deploy when approved, with a warning', async () => {
    const logger = mockLog();
    const host = new GuardedIoHost(logger, { approveBroadening: true });
    const answer = await host.requestResponse(
      request(
        DEPLOY_CONFIRMATION_CODE,
        { permissionChangeType: 'broadening' },
        false,
      ),
    );
    expect(answer).toBe(true);
    expect(host.refusedBroadening).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Approved'),
    );
  });

  it.each(['none', 'non-broadening'])(
    'confirms a deploy whose permission change is %s',
    async change => {
      const host = new GuardedIoHost(mockLog(), {
        approveBroadening: false,
      });
      await expect(
        host.requestResponse(
          request(
            DEPLOY_CONFIRMATION_CODE,
            { permissionChangeType: change },
            false,
          ),
        ),
      ).resolves.toBe(true);
    },
  );

  it('confirms destroys only when told to', async () => {
    const no = new GuardedIoHost(mockLog(), {
      approveBroadening: false,
    });
    const yes = new GuardedIoHost(mockLog(), {
      approveBroadening: false,
      approveDestroy: true,
    });
    await expect(
      no.requestResponse(request(DESTROY_CONFIRMATION_CODE, {}, true)),
    ).resolves.toBe(false);
    await expect(
      yes.requestResponse(request(DESTROY_CONFIRMATION_CODE, {}, false)),
    ).resolves.toBe(true);
  });

  it('streams stack events to the log, failures as errors', async () => {
    const logger = mockLog();
    const host = new GuardedIoHost(logger, { approveBroadening: false });
    const activity = (status: string, reason?: string) => ({
      deployment: 'd1',
      progress: { completed: 1, total: 3, formatted: '1/3' },
      event: {
        StackName: 'orders-dev',
        LogicalResourceId: 'JobsQueue',
        ResourceType: 'AWS::SQS::Queue',
        ResourceStatus: status,
        ResourceStatusReason: reason,
      },
    });
    await host.notify(
      message(STACK_ACTIVITY_CODE, 'info', '', activity('CREATE_COMPLETE')),
    );
    await host.notify(
      message(
        STACK_ACTIVITY_CODE,
        'info',
        '',
        activity('CREATE_FAILED', 'Resource limit exceeded'),
      ),
    );
    expect(logger.info).toHaveBeenCalledWith(
      'orders-dev CREATE_COMPLETE AWS::SQS::Queue JobsQueue',
    );
    expect(logger.error).toHaveBeenCalledWith(
      'orders-dev CREATE_FAILED AWS::SQS::Queue JobsQueue — Resource limit exceeded',
    );
  });

  it('keeps toolkit errors and drops debug chatter', async () => {
    const logger = mockLog();
    const host = new GuardedIoHost(logger, { approveBroadening: false });
    await host.notify(
      message('CDK_TOOLKIT_E5500', 'error', 'Stack deployment failed'),
    );
    await host.notify(message('CDK_TOOLKIT_I0000', 'debug', 'noise'));
    expect(host.errors).toEqual(['Stack deployment failed']);
    expect(logger.info).not.toHaveBeenCalled();
    expect(logger.debug).not.toHaveBeenCalled();
  });
});
