import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { createTestDatabases } from '@stackyard/test-support';
import { knex as createKnex, Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import { readOptions } from '../config/readOptions';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

type Run = { replica: string; start: number; end: number };

/** Polls `condition` until it holds (a fail-safe cap, not a timing assertion). */
async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error('condition never held');
}

/** Backstage's own scheduler for one replica, on the given database. */
function realScheduler(knex: Knex) {
  const rootLifecycle = mockServices.rootLifecycle.mock();
  const scheduler = DefaultSchedulerService.create({
    database: mockServices.database({ knex }),
    logger: mockServices.logger.mock(),
    metrics: metricsServiceMock.mock(),
    rootLifecycle,
    httpRouter: mockServices.httpRouter.mock(),
    pluginMetadata: { getId: () => 'stackyard' },
  });
  const stop = async () => {
    for (const [hook] of rootLifecycle.addShutdownHook.mock.calls) {
      await hook();
    }
  };
  return { scheduler, stop };
}

describe.each(databases.eachSupportedId())(
  'the scheduled reconcile on two replicas sharing one %s database, against a loopback AWS endpoint',
  databaseId => {
    it('runs once per tick, on one replica at a time', async () => {
      const server = await LoopbackAws.start();
      const knexA = await databases.init(databaseId);
      const knexB = databaseId.startsWith('POSTGRES')
        ? createKnex(knexA.client.config)
        : knexA;
      const schedulers: Array<{ stop(): Promise<void> }> = [];
      try {
        const replicas = {
          a: await createReplica({ knex: knexA, server }),
          b: await createReplica({ knex: knexB, server }),
        };
        server.cloudFormation.addStack({
          name: 'orders-dev',
          status: 'CREATE_COMPLETE',
        });
        await replicas.a.store.registerDeployment({
          request: {
            entityRef: 'component:default/orders',
            target: 'sandbox',
            prefix: 'orders',
            stage: 'dev',
            stackName: 'orders-dev',
            status: 'ready',
          },
          target: loopbackTarget(server),
          actor: 'test',
        });
        server.resetCalls();

        const { reconcileSchedule: schedule } = readOptions(
          new ConfigReader({
            stackyard: {
              reconciler: {
                schedule: {
                  frequency: { milliseconds: 300 },
                  timeout: { seconds: 30 },
                  scope: 'local',
                },
              },
            },
          }),
        );
        const runs: Run[] = [];
        for (const [name, replica] of Object.entries(replicas)) {
          const { scheduler, stop } = realScheduler(
            name === 'a' ? knexA : knexB,
          );
          schedulers.push({ stop });
          await scheduler.scheduleTask({
            id: 'stackyard-reconcile',
            // As the plugin schedules it (a configured scope is forced to global).
            ...schedule,
            fn: async () => {
              const start = Date.now();
              await replica.reconciler.reconcileOnce();
              // Long enough that a second replica running the same tick would overlap.
              await new Promise(resolve => setTimeout(resolve, 200));
              runs.push({ replica: name, start, end: Date.now() });
            },
          });
        }

        await eventually(() => runs.length >= 4);
        const done = [...runs].sort((x, y) => x.start - y.start);
        for (let i = 1; i < done.length; i++) {
          expect(done[i].start).toBeGreaterThanOrEqual(done[i - 1].end);
        }
        // Every run reconciled once: one DescribeStacks page per run, no more.
        expect(server.callCount.DescribeStacks).toBeGreaterThanOrEqual(
          done.length,
        );
        expect(server.callCount.DescribeStacks).toBeLessThanOrEqual(
          runs.length + 1,
        );
      } finally {
        for (const s of schedulers) await s.stop();
        await server.stop();
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  },
);
