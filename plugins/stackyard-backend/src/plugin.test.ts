import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { stackyardPlugin } from './plugin';

describe('stackyardPlugin', () => {
  it('serves the API behind Backstage auth and schedules global tasks', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [
        stackyardPlugin,
        scheduler.factory,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });

    const ok = await request(server)
      .get('/api/stackyard/environments')
      .set('Authorization', mockCredentials.user.header());
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ items: [] });

    const anonymous = await request(server)
      .get('/api/stackyard/environments')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => ({
      id: task.id,
      scope: task.scope,
    }));
    expect(tasks).toEqual([
      { id: 'stackyard-operations', scope: 'global' },
      { id: 'stackyard-reconcile', scope: 'global' },
      // Marks failed the upgrades of a replica that crashed.
      { id: 'stackyard-template-upgrades-interrupted', scope: 'global' },
    ]);
  });

  it('schedules drift checks, globally, when stackyard.drift.schedule names a target', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        stackyardPlugin,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            stackyard: {
              targets: [
                {
                  name: 'sandbox',
                  type: 'aws',
                  accountId: '123456789012',
                  region: 'eu-west-1',
                },
              ],
              drift: { schedule: { frequency: { hours: 24 } } },
            },
          },
        }),
      ],
    });
    const drift = scheduler.scheduleTask.mock.calls
      .map(([task]) => task)
      .find(task => task.id === 'stackyard-drift');
    expect(drift).toMatchObject({
      scope: 'global',
      frequency: { minutes: 5 },
    });
    await expect(drift!.fn(new AbortController().signal)).resolves.toBe(
      undefined,
    );
  });
});
