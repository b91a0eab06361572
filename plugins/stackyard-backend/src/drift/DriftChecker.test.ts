import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { DefaultAwsClientFactory } from '../aws/AwsClientFactory';
import {
  loopbackAwsClients,
  loopbackTarget,
} from '../__testUtils__/loopbackAws';
import { recordingNotifier } from '../__testUtils__/recorders';
import { createReplica } from '../__testUtils__/replica';
import { CloudFormationDrift } from './CloudFormationDrift';
import { DriftChecker } from './DriftChecker';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DriftChecker on %s with a loopback AWS endpoint',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    it('gives up on a detection still running past its bound, polling with backoff, and records why', async () => {
      const knex = await databases.init(databaseId);
      const { store, drift } = await createReplica({ knex, server: aws });
      aws.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
      });
      const { environment } = await store.registerDeployment({
        request: {
          entityRef: 'component:default/orders',
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: 'orders-dev',
          status: 'ready',
        },
        target: loopbackTarget(aws),
        actor: 'user:default/ada',
      });
      aws.cloudFormation.driftDetectionPolls = 1_000;
      const { notifier, messages } = recordingNotifier();
      const checker = DriftChecker.create({
        store,
        drift: drift.store,
        gateway: CloudFormationDrift.create({
          clients: DefaultAwsClientFactory.create(loopbackAwsClients),
        }),
        targets: new Map([['sandbox', loopbackTarget(aws)]]),
        notifier,
        logger: mockServices.logger.mock(),
        maxConcurrentPerAccount: 2,
        polling: { initialDelayMs: 10, maxDelayMs: 40, timeoutMs: 200 },
      });

      expect((await checker.start(environment)).started).toBe(true);
      await checker.idle();

      expect((await store.getEnvironment(environment.id))?.drift).toEqual({
        status: 'failed',
        checkedAt: expect.any(String),
        reason: expect.stringMatching(/was still running after 0\.2 s$/),
      });
      // 10, 20, 40, 40, 40 ms apart: a handful of polls, not one per tick.
      const polls = aws.callCount.DescribeStackDriftDetectionStatus;
      expect(polls).toBeGreaterThanOrEqual(3);
      expect(polls).toBeLessThanOrEqual(8);
      expect(aws.callCount.DescribeStackResourceDrifts).toBeUndefined();
      expect(messages.map(m => m.id)).toEqual([environment.id, environment.id]);
    });
  },
);
