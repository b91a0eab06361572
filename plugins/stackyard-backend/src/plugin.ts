import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { SandboxPool } from '@stackyard/cdk-guardrails';
import { stackyardPermissions } from '@stackyard/plugin-stackyard-common';
import { readOptions } from './config/readOptions';
import {
  DRIFT_SWEEP_FREQUENCY,
  startDueDriftChecks,
} from './drift/scheduledDriftChecks';
import { createStackyardServices } from './services';
import { attachToHandedOverServer } from './sockets/httpServerHandover';
import { packageUpgradeEngine } from './templates/packageEngine';

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
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
      },
      async init(deps) {
        const options = readOptions(deps.config);
        const { logger } = deps;
        // Repository code (manifest extensions) is synthesized only here, by
        // previews and template upgrades alike; its processes start on use.
        const sandbox = SandboxPool.create({ prewarm: false });
        deps.permissionsRegistry.addPermissions(stackyardPermissions);

        const {
          router,
          sockets,
          tracker,
          reconciler,
          store,
          drift,
          previews,
          templates,
          cost,
        } = await createStackyardServices({
          ...deps,
          options,
          aws: {
            credentialsManager: DefaultAwsCredentialsManager.fromConfig(
              deps.config,
            ),
          },
          templateUpgradeEngine: packageUpgradeEngine({
            sandbox,
            // Repositories on GitHub/GitLab: pull requests through these.
            integrations: ScmIntegrations.fromConfig(deps.config),
          }),
          sandbox,
        });
        deps.lifecycle.addShutdownHook(() => sockets.close());
        // Runners stop with the backend; their data stays, so the previews
        // start again on their next connection or invoke.
        deps.lifecycle.addShutdownHook(async () => {
          await previews?.close();
          await sandbox.close();
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
              stats.changed +
                stats.expired +
                stats.failedAccountRegions +
                stats.discovered >
              0;
            const missing =
              stats.missingEntities === undefined
                ? 'entities not checked'
                : `${stats.missingEntities} entities missing from the catalog`;
            (eventful ? logger.info : logger.debug).call(
              logger,
              `Reconciled ${stats.environments} environments in ${stats.accountRegions} account/regions: ${stats.changed} changed, ${stats.expired} expired, ${stats.failedAccountRegions} failed, ${stats.discovered} discovered, ${stats.orphanCandidates} orphan candidates, ${missing}`,
            );
          },
        });

        // Scheduled drift checks, for the targets `stackyard.drift.schedule` names.
        if (options.drift.scheduleByTarget.size > 0) {
          await deps.scheduler.scheduleTask({
            id: 'stackyard-drift',
            frequency: DRIFT_SWEEP_FREQUENCY,
            timeout: { minutes: 5 },
            initialDelay: { minutes: 1 },
            scope: 'global',
            fn: async () => {
              const started = await startDueDriftChecks({
                config: options.drift,
                store,
                drift: drift.store,
                checker: drift.checker,
              });
              if (started > 0) logger.info(`Started ${started} drift checks`);
            },
          });
        }

        // Upgrades of a replica that crashed are marked failed once its
        // heartbeat is stale (those of stopped replicas were at startup).
        if (templates) {
          await deps.scheduler.scheduleTask({
            id: 'stackyard-template-upgrades-interrupted',
            frequency: { minutes: 1 },
            timeout: { minutes: 1 },
            initialDelay: { minutes: 1 },
            scope: 'global',
            fn: async () => {
              await templates.failInterrupted();
            },
          });
        }

        // Actual costs, on `stackyard.cost.schedule`: one Cost Explorer query
        // per aws account per refresh (local targets have no cost).
        if (options.cost.refreshMs !== undefined) {
          await deps.scheduler.scheduleTask({
            id: 'stackyard-cost',
            frequency: { milliseconds: options.cost.refreshMs },
            timeout: { minutes: 10 },
            initialDelay: { minutes: 2 },
            scope: 'global',
            fn: async () => {
              const stats = await cost.refresher.refreshOnce();
              logger.info(
                `Refreshed costs of ${stats.accounts} accounts with ${stats.calls} Cost Explorer calls: ${stats.stacks} stacks with cost, ${stats.failed} accounts failed`,
              );
            },
          });
        }

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

        deps.httpRouter.use(router);
      },
    });
  },
});
