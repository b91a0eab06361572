import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { ConfigReader } from '@backstage/config';
import { readOptions } from '../config/readOptions';
import type { StackyardOptions } from '../config/readOptions';
import { StackyardServicesOptions, createStackyardServices } from '../services';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackAwsClients, loopbackTarget } from './loopbackAws';
import { recordingAuditor, recordingNotifier } from './recorders';
import type { UpgradeEngine } from '../templates/UpgradeEngine';

/** A permissions service that answers every request with `result`. */
export function permissionsAnswering(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): PermissionsService {
  return mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
}

/**
 * One backend replica's worth of Stackyard, wired by the plugin's own
 * {@link createStackyardServices}, on the given database, with AWS at the
 * loopback server and recording auditor and notifier.
 */
export async function createReplica(options: {
  knex: Knex;
  server: LoopbackAws;
  permissions?: PermissionsService;
  now?: () => Date;
  extraTargets?: Target[];
  /** The catalog the reconciler asks which entities exist. */
  catalog?: CatalogService;
  /** At most this many drift checks per account. @default 2 */
  maxDriftChecksPerAccount?: number;
  /** Runs template upgrades (the template routes need it and `catalog`). */
  templateUpgradeEngine?: UpgradeEngine;
  /** Where locally published repositories live. */
  localPublishDirectory?: string;
  /** Cost settings (`stackyard.cost`) over the defaults. */
  cost?: Partial<StackyardOptions['cost']>;
  /** Where AWS credentials come from. @default static loopback credentials */
  aws?: StackyardServicesOptions['aws'];
  /** Local previews: the runtime double and synthesis (previews need `catalog` too). */
  previews?: StackyardServicesOptions['previewRuntime'] & {
    config?: Partial<StackyardOptions['previews']>;
    /** Where runners call back; the server's own URL for the real runtime. */
    discovery?: StackyardServicesOptions['discovery'];
  };
}) {
  const targets = new Map<string, Target>([
    ['local', { name: 'local', type: 'local' }],
    ['sandbox', loopbackTarget(options.server)],
    ...(options.extraTargets ?? []).map(t => [t.name, t] as const),
  ]);
  const { auditor, events: auditEvents } = recordingAuditor();
  const { notifier, messages } = recordingNotifier();
  const services = await createStackyardServices({
    options: {
      ...readOptions(new ConfigReader({})),
      targets,
      protectedStages: ['prod', 'production'],
      eventRetention: 100,
      sockets: { recentFrames: 50, remoteTimeoutMs: 1000 },
      drift: {
        scheduleByTarget: new Map(),
        maxConcurrentPerAccount: options.maxDriftChecksPerAccount ?? 2,
      },
      localPublishDirectory: options.localPublishDirectory,
      cost: { ...readOptions(new ConfigReader({})).cost, ...options.cost },
      previews: {
        ...readOptions(new ConfigReader({})).previews,
        ...options.previews?.config,
      },
    },
    database: mockServices.database({ knex: options.knex }),
    logger: mockServices.logger.mock(),
    permissions:
      options.permissions ?? permissionsAnswering(AuthorizeResult.ALLOW),
    auditor,
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth({ pluginId: 'stackyard' }),
    events: mockServices.events(),
    aws: options.aws ?? loopbackAwsClients,
    mountPath: '',
    notifier,
    now: options.now,
    catalog: options.catalog,
    templateUpgradeEngine: options.templateUpgradeEngine,
    ...(options.previews
      ? {
          discovery: options.previews.discovery ?? mockServices.discovery(),
          previewRuntime: {
            start: options.previews.start,
            synthesize: options.previews.synthesize,
          },
        }
      : {}),
    // The loopback endpoint answers a detection's status at once.
    driftPolling: { initialDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 },
  });
  const app = express().use(services.router).use(mockErrorHandler());
  return { ...services, app, auditEvents, messages };
}
