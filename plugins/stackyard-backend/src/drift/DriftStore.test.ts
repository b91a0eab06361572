import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('DriftStore on %s', databaseId => {
  let aws: LoopbackAws;
  beforeEach(async () => {
    aws = await LoopbackAws.start();
  });
  afterEach(() => aws.stop());

  it('claims one check per stack, takes over an abandoned one, and limits checks per account', async () => {
    const knex = await databases.init(databaseId);
    const { store, drift } = await createReplica({
      knex,
      server: aws,
    });
    const register = async (stackName: string) =>
      (
        await store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target: 'sandbox',
            prefix: 'orders',
            stage: stackName.split('-')[1],
            stackName,
            status: 'ready',
          },
          target: loopbackTarget(aws),
          actor: 'user:default/ada',
        })
      ).environment.id;
    const dev = await register('orders-dev');
    const qa = await register('orders-qa');
    const t0 = new Date('2026-11-30T12:00:00Z');
    const claim = (environmentId: string, now: Date, maxPerAccount = 1) =>
      drift.store.claim({
        environmentId,
        accountId: aws.account,
        now,
        staleBefore: new Date(now.getTime() - 60_000),
        maxPerAccount,
      });

    expect(await claim(dev, t0)).toEqual({ kind: 'claimed' });
    expect(await claim(dev, t0)).toEqual({ kind: 'running' });
    expect(await claim(qa, t0)).toEqual({ kind: 'busy', running: 1 });
    expect(await claim(qa, t0, 2)).toEqual({ kind: 'claimed' });
    expect((await store.getEnvironment(dev))?.drift).toEqual({
      status: 'checking',
      checkedAt: t0.toISOString(),
    });

    // Two minutes on, both checks count as abandoned.
    const later = new Date(t0.getTime() + 120_000);
    expect(await claim(dev, later)).toEqual({ kind: 'claimed' });

    await drift.store.finish(
      dev,
      {
        drifted: true,
        driftedResources: 1,
        resources: [
          {
            logicalId: 'Queue',
            type: 'AWS::SQS::Queue',
            status: 'DELETED',
            differences: [],
          },
        ],
      },
      later,
    );
    expect((await store.getEnvironment(dev))?.drift).toEqual({
      status: 'drifted',
      checkedAt: later.toISOString(),
      driftedResources: 1,
    });
    expect(await drift.store.resources(dev)).toEqual({
      checkedAt: later,
      items: [
        {
          logicalId: 'Queue',
          type: 'AWS::SQS::Queue',
          status: 'DELETED',
          differences: [],
        },
      ],
    });
    // A failed check keeps the details of the last finished one.
    await drift.store.fail(dev, 'Rate exceeded', later);
    expect((await store.getEnvironment(dev))?.drift).toMatchObject({
      status: 'failed',
      reason: 'Rate exceeded',
    });
    expect((await drift.store.resources(dev))?.items).toHaveLength(1);
  });
});
