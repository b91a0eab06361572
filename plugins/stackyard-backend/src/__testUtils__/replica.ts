import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { DatabaseEnvironmentStore } from '../database/DatabaseEnvironmentStore';
import { OperationTracker } from '../reconciler/OperationTracker';
import { Reconciler } from '../reconciler/Reconciler';
import { StackResourceInventory } from '../reconciler/StackResourceInventory';
import { EnvironmentGuard } from '../service/EnvironmentGuard';
import { createRouter } from '../service/router';
import { createPreviewSockets } from '../sockets/createPreviewSockets';
import { DefaultTeardownService } from '../teardown/TeardownService';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackGateways, loopbackTarget } from './loopbackAws';
import { recordingAuditor, recordingNotifier } from './recorders';

/** A permissions service that answers every request with `result`. */
export function permissionsAnswering(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): PermissionsService {
  return mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
}

/**
 * One backend replica's worth of Stackyard, wired as the plugin wires it,
 * on the given database, with AWS at the loopback server.
 */
export async function createReplica(options: {
  knex: Knex;
  server: LoopbackAws;
  permissions?: PermissionsService;
  now?: () => Date;
  extraTargets?: Target[];
}) {
  const targets = new Map<string, Target>([
    ['local', { name: 'local', type: 'local' }],
    ['sandbox', loopbackTarget(options.server)],
    ...(options.extraTargets ?? []).map(t => [t.name, t] as const),
  ]);
  const store = await DatabaseEnvironmentStore.create({
    database: mockServices.database({ knex: options.knex }),
    protectedStages: ['prod', 'production'],
    eventRetention: 100,
  });
  const { stacks, alarms } = loopbackGateways();
  const { auditor, events: auditEvents } = recordingAuditor();
  const { notifier, messages } = recordingNotifier();
  const logger = mockServices.logger.mock();
  const permissions =
    options.permissions ?? permissionsAnswering(AuthorizeResult.ALLOW);
  const guard = EnvironmentGuard.create({ permissions, auditor });
  const teardown = DefaultTeardownService.create({
    store,
    stacks,
    targets,
    permissions,
    auditor,
    notifier,
    logger,
  });
  const tracker = OperationTracker.create({
    store,
    stacks,
    targets,
    notifier,
    logger,
    now: options.now,
  });
  const reconciler = Reconciler.create({
    store,
    stacks,
    alarms,
    targets,
    teardown,
    notifier,
    logger,
    now: options.now,
  });
  const sockets = await createPreviewSockets({
    knex: options.knex,
    environments: store,
    auth: mockServices.auth(),
    guard,
    events: mockServices.events(),
    logger,
    mountPath: '',
    recentFrames: 50,
    remoteTimeoutMs: 1000,
  });
  const router = await createRouter({
    sockets,
    httpAuth: mockServices.httpAuth({ pluginId: 'stackyard' }),
    store,
    guard,
    teardown,
    notifier,
    resources: StackResourceInventory.create({ store, stacks, targets }),
    targets,
    maxExtensionHours: 168,
  });
  const app = express().use(router).use(mockErrorHandler());
  return {
    store,
    teardown,
    tracker,
    reconciler,
    router,
    app,
    sockets,
    auditEvents,
    messages,
  };
}
