import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';
import { startDueDriftChecks } from './scheduledDriftChecks';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const HOUR = 3_600_000;

describe.each(databases.eachSupportedId())(
  'scheduled drift checks on %s with a loopback AWS endpoint',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    async function setup(maxDriftChecksPerAccount: number) {
      const knex = await databases.init(databaseId);
      const replica = await createReplica({
        knex,
        server: aws,
        maxDriftChecksPerAccount,
      });
      const deploy = async (stackName: string, status = 'ready' as const) => {
        aws.cloudFormation.addStack({
          name: stackName,
          status: 'CREATE_COMPLETE',
        });
        const { environment } = await replica.store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target: 'sandbox',
            prefix: 'orders',
            stage: stackName.split('-')[1],
            stackName,
            status,
          },
          target: loopbackTarget(aws),
          actor: 'user:default/ada',
        });
        return environment.id;
      };
      const sweep = (now: Date) =>
        startDueDriftChecks({
          config: {
            scheduleByTarget: new Map([['sandbox', 24 * HOUR]]),
            maxConcurrentPerAccount: maxDriftChecksPerAccount,
          },
          store: replica.store,
          drift: replica.drift.store,
          checker: replica.drift.checker,
          now,
        });
      return { ...replica, deploy, sweep };
    }

    it('checks ready environments never checked or checked longer ago than the frequency, at most the account limit per sweep', async () => {
      const { deploy, sweep, drift, store } = await setup(2);
      const dev = await deploy('orders-dev');
      const qa = await deploy('orders-qa');
      const prod = await deploy('orders-prod');
      const deploying = await deploy('orders-uat', 'deploying' as any);

      expect(await sweep(new Date())).toBe(2);
      await drift.checker.idle();
      expect(aws.callCount.DetectStackDrift).toBe(2);

      // The next sweep takes the one left; the others are not due yet.
      expect(await sweep(new Date())).toBe(1);
      await drift.checker.idle();
      expect(aws.callCount.DetectStackDrift).toBe(3);
      expect(await sweep(new Date())).toBe(0);

      for (const id of [dev, qa, prod]) {
        expect((await store.getEnvironment(id))?.drift?.status).toBe('in-sync');
      }
      expect((await store.getEnvironment(deploying))?.drift).toBeUndefined();

      // A day later, every ready environment is due again.
      expect(await sweep(new Date(Date.now() + 25 * HOUR))).toBe(2);
      await drift.checker.idle();
    });
  },
);
