import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackAwsClients } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';
import { costWindow } from './CostRefresher';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'CostRefresher on %s (loopback AWS endpoint)',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    const now = new Date('2026-11-30T15:00:00Z');
    const { days } = costWindow(now);

    async function setup() {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server: aws,
        now: () => now,
      });
      aws.costExplorer.records.push({
        date: days[3],
        tags: { 'stackyard:prefix': 'orders', 'stackyard:stage': 'prod' },
        usd: 7.25,
      });
      return replica.cost;
    }

    // Cost Explorer answers LimitExceededException, not ThrottlingException,
    // when an account calls it faster than it allows.
    it('retries LimitExceededException with backoff like throttling, and reads the costs (loopback AWS endpoint)', async () => {
      const cost = await setup();
      aws.throttleWith.GetCostAndUsage = 'LimitExceededException';
      aws.throttle.GetCostAndUsage = 2;
      expect(await cost.refresher.refreshOnce()).toEqual({
        accounts: 1,
        calls: 1,
        failed: 0,
        stacks: 1,
      });
      expect(aws.callCount.GetCostAndUsage).toBe(3);
      const report = (await cost.store.getReports()).get(aws.account);
      expect(report?.state).toBe('ok');
      expect(report?.stacks['orders|prod'][3]).toBe(7.25);
    });

    it('gives up after the bounded retries, recording the account as throttled (loopback AWS endpoint)', async () => {
      const cost = await setup();
      aws.throttleWith.GetCostAndUsage = 'LimitExceededException';
      aws.throttle.GetCostAndUsage = 1000;
      expect(await cost.refresher.refreshOnce()).toMatchObject({ failed: 1 });
      // the first attempt and the retries the client allows, then no more
      expect(aws.callCount.GetCostAndUsage).toBe(loopbackAwsClients.retry.maxAttempts);
      const report = (await cost.store.getReports()).get(aws.account);
      expect(report).toMatchObject({
        state: 'throttled',
        message: expect.stringContaining(
          'Cost Explorer kept throttling the refresh (LimitExceededException) after retries',
        ),
      });
    });
  },
);
