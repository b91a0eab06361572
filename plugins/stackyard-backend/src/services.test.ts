import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTestDatabases } from '@stackyard/test-support';
import { stackyardEntityChannel } from '@stackyard/plugin-stackyard-common';
import express from 'express';
import request from 'supertest';
import { readOptions } from './config/readOptions';
import { StackyardServicesOptions, createStackyardServices } from './services';
import { loopbackCredentialsManager } from './__testUtils__/loopbackAws';

const databases = createTestDatabases();

async function baseOptions(): Promise<StackyardServicesOptions> {
  return {
    options: readOptions(
      new ConfigReader({ stackyard: { previews: { maxExtensionHours: 2 } } }),
    ),
    database: mockServices.database({
      knex: await databases.init('SQLITE_3'),
    }),
    logger: mockServices.logger.mock(),
    permissions: mockServices.permissions(),
    auditor: mockServices.auditor.mock(),
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth({ pluginId: 'stackyard' }),
    events: mockServices.events(),
    aws: { credentialsManager: loopbackCredentialsManager },
  };
}

describe('createStackyardServices', () => {
  it('publishes live updates through signals unless a notifier is given, and applies the options', async () => {
    const signals = { publish: jest.fn(async () => {}) };
    const services = await createStackyardServices({
      ...(await baseOptions()),
      signals,
    });
    try {
      const app = express().use(services.router).use(mockErrorHandler());
      const created = await request(app)
        .post('/environments')
        .set('Authorization', mockCredentials.service.header())
        .send({
          entityRef: 'component:default/orders',
          target: 'local',
          prefix: 'orders',
          stage: 'pr1',
          stackName: 'orders-pr1',
          status: 'ready',
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        });
      expect(created.status).toBe(201);
      expect(signals.publish).toHaveBeenCalledWith(
        expect.objectContaining({
          channel: stackyardEntityChannel('component:default/orders'),
        }),
      );

      // stackyard.previews.maxExtensionHours (2) reaches the router.
      const extended = await request(app)
        .post(`/environments/${created.body.environment.id}/extend`)
        .set('Authorization', mockCredentials.user.header())
        .send({ hours: 3 });
      expect(extended.status).toBe(400);
      expect(extended.body.error.message).toMatch(/more than the allowed 2$/);
    } finally {
      await services.sockets.close();
    }
  });

  it('refuses to start without signals or a notifier', async () => {
    await expect(createStackyardServices(await baseOptions())).rejects.toThrow(
      'createStackyardServices needs signals or a notifier',
    );
  });
});
