import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { stackyardPermissions } from '@stackyard/plugin-stackyard-common';
import { DefaultAwsClientFactory } from './aws/AwsClientFactory';
import { CloudFormationStacks } from './aws/CloudFormationStacks';
import { CloudWatchAlarms } from './aws/CloudWatchAlarms';
import { readOptions } from './config/readOptions';
import { DatabaseEnvironmentStore } from './database/DatabaseEnvironmentStore';
import { SignalsEnvironmentNotifier } from './notify/EnvironmentNotifier';
import { OperationTracker } from './reconciler/OperationTracker';
import { Reconciler } from './reconciler/Reconciler';
import { StackResourceInventory } from './reconciler/StackResourceInventory';
import { EnvironmentGuard } from './service/EnvironmentGuard';
import { createRouter } from './service/router';
import { createPreviewSockets } from './sockets/createPreviewSockets';
import { attachToHandedOverServer } from './sockets/httpServerHandover';
import { DefaultTeardownService } from './teardown/TeardownService';

/**
 * Stackyard's backend: environment state, REST API, reconciler, guarded
 * teardown and live updates.
 */
export const stackyardPlugin = createBackendPlugin({
  pluginId: 'stackyard',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
        auth: coreServices.auth,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const options = readOptions(deps.config);
        const { targets, logger } = { ...options, logger: deps.logger };
        deps.permissionsRegistry.addPermissions(stackyardPermissions);

        const store = await DatabaseEnvironmentStore.create({
          database: deps.database,
          protectedStages: options.protectedStages,
          eventRetention: options.eventRetention,
        });
        const clients = DefaultAwsClientFactory.create({
          credentialsManager: DefaultAwsCredentialsManager.fromConfig(
            deps.config,
          ),
          retry: options.aws,
        });
        const stacks = CloudFormationStacks.create({ clients });
        const alarms = CloudWatchAlarms.create({ clients });
        const notifier = SignalsEnvironmentNotifier.create({
          signals: deps.signals,
          logger,
        });
        const teardown = DefaultTeardownService.create({
          store,
          stacks,
          targets,
          permissions: deps.permissions,
          auditor: deps.auditor,
          notifier,
          logger,
        });
        const tracker = OperationTracker.create({
          store,
          stacks,
          targets,
          notifier,
          logger,
          pendingGraceMs: options.pendingGraceMs,
          deployTimeoutMs: options.deployTimeoutMs,
        });
        const reconciler = Reconciler.create({
          store,
          stacks,
          alarms,
          targets,
          teardown,
          notifier,
          logger,
        });

        await deps.scheduler.scheduleTask({
          id: 'stackyard-operations',
          ...options.operationsSchedule,
          fn: async () => {
            await tracker.trackOnce();
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'stackyard-reconcile',
          ...options.reconcileSchedule,
          fn: async () => {
            const stats = await reconciler.reconcileOnce();
            const eventful =
              stats.changed + stats.expired + stats.failedAccountRegions > 0;
            (eventful ? logger.info : logger.debug).call(
              logger,
              `Reconciled ${stats.environments} environments in ${stats.accountRegions} account/regions: ${stats.changed} changed, ${stats.expired} expired, ${stats.failedAccountRegions} failed`,
            );
          },
        });

        // One guard decides and audits every mutation, for the person who asked.
        const guard = EnvironmentGuard.create({
          permissions: deps.permissions,
          auditor: deps.auditor,
        });
        const sockets = await createPreviewSockets({
          knex: await deps.database.getClient(),
          environments: store,
          auth: deps.auth,
          guard,
          events: deps.events,
          logger,
          mountPath: '/api/stackyard',
          ...options.sockets,
        });
        deps.lifecycle.addShutdownHook(() => sockets.close());
        attachToHandedOverServer({
          rootConfig: deps.config,
          hook: sockets.hook,
          logger,
        });
        // `@connections` callers authenticate with the environment's
        // connection key or a Backstage token, checked by the API itself.
        deps.httpRouter.addAuthPolicy({
          path: '/sockets',
          allow: 'unauthenticated',
        });

        deps.httpRouter.use(
          await createRouter({
            sockets,
            httpAuth: deps.httpAuth,
            store,
            guard,
            teardown,
            notifier,
            resources: StackResourceInventory.create({
              store,
              stacks,
              targets,
            }),
            targets,
            maxExtensionHours: options.maxExtensionHours,
          }),
        );
      },
    });
  },
});
