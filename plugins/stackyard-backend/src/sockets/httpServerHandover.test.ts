import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { createBackend } from '@backstage/backend-defaults';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startIntegrationServer } from '../__testUtils__/integrationServer';
import { closed, nextMessage, openSocket } from '../__testUtils__/wsClient';
import { DatabaseEnvironmentStore } from '../database/DatabaseEnvironmentStore';
import { stackyardPlugin } from '../plugin';
import {
  attachToHandedOverServer,
  stackyardHttpServer,
} from './httpServerHandover';
import { createUpgradeHook } from './upgradeHook';
import { localPreview } from '../__testUtils__/localPreview';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const hook = createUpgradeHook({
  pathPrefix: '/api/stackyard/sockets',
  resolve: async () => undefined,
  onError: () => {},
});

describe('stackyardHttpServer', () => {
  it('makes a dispatcher the owner of the upgrade event per backend, closed on shutdown, and runs the rest of the setup', async () => {
    const server = new EventEmitter();
    const rootConfig = {};
    const applyDefaults = jest.fn();
    const shutdownHooks: Array<() => void | Promise<void>> = [];
    const context = {
      server,
      config: rootConfig,
      logger: mockServices.logger.mock(),
      lifecycle: { addShutdownHook: (h: () => void) => shutdownHooks.push(h) },
      applyDefaults,
    };
    stackyardHttpServer()(context);
    expect(applyDefaults).toHaveBeenCalledTimes(1);
    expect(server.listenerCount('upgrade')).toBe(1);
    expect(shutdownHooks).toHaveLength(1);

    const logger = mockServices.logger.mock();
    expect(attachToHandedOverServer({ rootConfig, hook, logger })).toBe(
      'server',
    );
    expect(server.listenerCount('upgrade')).toBe(1);
    expect(logger.warn).not.toHaveBeenCalled();
    await expect(shutdownHooks[0]()).resolves.toBeUndefined();

    const custom = jest.fn();
    const other = new EventEmitter();
    stackyardHttpServer(custom)({ ...context, server: other });
    expect(custom).toHaveBeenCalledTimes(1);
    expect(applyDefaults).toHaveBeenCalledTimes(1);
  });

  it('falls back to attaching on the first request, with a warning naming the fix, when nothing was handed over', () => {
    const logger = mockServices.logger.mock();
    expect(attachToHandedOverServer({ rootConfig: {}, hook, logger })).toBe(
      'first-request',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'rootHttpRouterServiceFactory({ configure: stackyardHttpServer() })',
      ),
    );
  });

  it('upgrades a preview socket before any HTTP request reaches the plugin', async () => {
    const knex = await databases.init('SQLITE_3');
    const integration = await startIntegrationServer();
    let port = 0;
    // A backend of `@backstage/backend-defaults` with its real root HTTP
    // router (the test backend has its own, which cannot be configured).
    const backend = createBackend();
    for (const feature of [
      stackyardPlugin,
      rootHttpRouterServiceFactory({
        configure: stackyardHttpServer(context => {
          context.server.on('listening', () => {
            port = (context.server.address() as AddressInfo).port;
          });
          context.applyDefaults();
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://127.0.0.1',
            listen: { host: '127.0.0.1', port: 0 },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.discovery.factory(),
      mockServices.auth.factory(),
      mockServices.httpAuth.factory(),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory(),
    ]) {
      backend.add(feature);
    }
    await backend.start();
    expect(port).toBeGreaterThan(0);

    // Registered straight in the database: the plugin's router has served
    // nothing when the upgrade arrives.
    const store = await DatabaseEnvironmentStore.create({
      database: mockServices.database({ knex }),
      protectedStages: [],
      eventRetention: 10,
    });
    const { environment } = await store.registerDeployment({
      request: {
        ...localPreview(),
        websocket: {
          routeSelectionExpression: '$request.body.action',
          routes: {
            echo: {
              integration: { type: 'http', url: integration.url },
              response: true,
            },
          },
        },
      },
      target: { name: 'local', type: 'local' },
      actor: 'user:default/mock',
    });

    try {
      const outcome = await openSocket(
        `ws://127.0.0.1:${port}/api/stackyard/sockets/${environment.id}/dev`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      expect(outcome.kind).toBe('open');
      if (outcome.kind !== 'open') return;
      const reply = nextMessage(outcome.ws);
      outcome.ws.send(JSON.stringify({ action: 'echo', n: 1 }));
      expect(await reply).toBe('echo:{"action":"echo","n":1}');
      outcome.ws.close();
      await closed(outcome.ws);
    } finally {
      await backend.stop();
      await integration.stop();
    }
  });
});
