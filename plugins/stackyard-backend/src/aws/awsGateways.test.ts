import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackGateways, loopbackTarget } from '../__testUtils__/loopbackAws';

describe('AWS gateways against a loopback CloudFormation/CloudWatch endpoint', () => {
  let server: LoopbackAws;

  beforeEach(async () => {
    server = await LoopbackAws.start();
  });
  afterEach(() => server.stop());

  it('lists every stack across pages, one call per page', async () => {
    for (let i = 0; i < 250; i++) {
      server.cloudFormation.addStack({
        name: `svc-${i}-dev`,
        status: 'CREATE_COMPLETE',
        outputs: i === 0 ? { Url: 'https://a.test' } : {},
        terminationProtection: i === 1,
      });
    }
    const { stacks } = loopbackGateways();
    const listed = await stacks.listStacks(loopbackTarget(server));
    expect(listed).toHaveLength(250);
    expect(server.callCount.DescribeStacks).toBe(3);
    expect(listed[0]).toMatchObject({
      stackName: 'svc-0-dev',
      stackStatus: 'CREATE_COMPLETE',
      outputs: { Url: 'https://a.test' },
      terminationProtection: false,
    });
    expect(listed[1].terminationProtection).toBe(true);
  });

  it('retries throttled calls with backoff and then succeeds', async () => {
    server.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'UPDATE_COMPLETE',
    });
    server.throttle.DescribeStacks = 2;
    server.throttle.DescribeAlarms = 1;
    server.cloudWatch.alarms.push({
      name: 'orders-dev-Errors',
      type: 'metric',
      state: 'OK',
    });
    const { stacks, alarms } = loopbackGateways();
    const listed = await stacks.listStacks(loopbackTarget(server));
    expect(listed.map(s => s.stackName)).toEqual(['orders-dev']);
    expect(server.callCount.DescribeStacks).toBe(3);
    expect(await alarms.listAlarms(loopbackTarget(server))).toHaveLength(1);
    expect(server.callCount.DescribeAlarms).toBe(2);
  });

  it('gives up after the configured attempts with the throttling error', async () => {
    server.throttle.DescribeStacks = 10;
    const { stacks } = loopbackGateways();
    await expect(stacks.listStacks(loopbackTarget(server))).rejects.toThrow(
      'Rate exceeded',
    );
    expect(server.callCount.DescribeStacks).toBe(4);
  });

  it('describes one stack, and reports a missing one as undefined', async () => {
    server.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'ROLLBACK_COMPLETE',
      reason: 'boom',
    });
    const { stacks } = loopbackGateways();
    expect(
      await stacks.describeStack(loopbackTarget(server), 'orders-dev'),
    ).toMatchObject({
      stackStatus: 'ROLLBACK_COMPLETE',
      statusReason: 'boom',
    });
    expect(
      await stacks.describeStack(loopbackTarget(server), 'nope-dev'),
    ).toBeUndefined();
  });

  it('deletes a stack and reads its events newer than a time', async () => {
    const old = new Date(Date.UTC(2025, 0, 1));
    server.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'CREATE_COMPLETE',
      events: [
        {
          eventId: 'old',
          timestamp: old,
          logicalId: 'orders-dev',
          status: 'CREATE_COMPLETE',
        },
      ],
    });
    const { stacks } = loopbackGateways();
    await stacks.deleteStack(loopbackTarget(server), 'orders-dev', 'op-1');
    expect(server.cloudFormation.stacks.get('orders-dev')?.status).toBe(
      'DELETE_IN_PROGRESS',
    );
    const events = await stacks.listStackEvents(
      loopbackTarget(server),
      'orders-dev',
      new Date(Date.UTC(2026, 0, 1)),
    );
    expect(events.map(e => e.resourceStatus)).toEqual(['DELETE_IN_PROGRESS']);
  });

  it('lists metric and composite alarms across pages, optionally by prefix', async () => {
    for (let i = 0; i < 120; i++) {
      server.cloudWatch.alarms.push({
        name: `svc-${i % 3}-dev-alarm-${i}`,
        type: i % 10 === 0 ? 'composite' : 'metric',
        state: i % 7 === 0 ? 'ALARM' : 'OK',
      });
    }
    const { alarms } = loopbackGateways();
    const all = await alarms.listAlarms(loopbackTarget(server));
    expect(all).toHaveLength(120);
    expect(all.filter(a => a.type === 'composite')).toHaveLength(12);
    expect(server.callCount.DescribeAlarms).toBe(2);
    const one = await alarms.listAlarms(loopbackTarget(server), 'svc-1-dev');
    expect(one).toHaveLength(40);
    expect(one.every(a => a.name.startsWith('svc-1-dev'))).toBe(true);
  });

  it('lists every resource of a stack across pages, and undefined for a missing stack', async () => {
    server.cloudFormation.resourcesPageSize = 40;
    server.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'UPDATE_COMPLETE',
      resources: Array.from({ length: 90 }, (_, i) => ({
        logicalId: `Fn${i}`,
        type: 'AWS::Lambda::Function',
        physicalId: i === 0 ? undefined : `orders-dev-fn-${i}`,
        status: i === 1 ? 'UPDATE_FAILED' : 'CREATE_COMPLETE',
        reason:
          i === 1 ? 'Resource handler returned message: "boom"' : undefined,
      })),
    });
    const { stacks } = loopbackGateways();
    const listed = await stacks.listStackResources(
      loopbackTarget(server),
      'orders-dev',
    );
    expect(server.callCount.ListStackResources).toBe(3);
    expect(listed).toHaveLength(90);
    expect(listed![0]).toEqual({
      logicalId: 'Fn0',
      type: 'AWS::Lambda::Function',
      physicalId: undefined,
      status: 'CREATE_COMPLETE',
      statusReason: undefined,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(listed![1]).toMatchObject({
      physicalId: 'orders-dev-fn-1',
      status: 'UPDATE_FAILED',
      statusReason: 'Resource handler returned message: "boom"',
    });
    expect(
      await stacks.listStackResources(loopbackTarget(server), 'nope-dev'),
    ).toBeUndefined();
  });
});
