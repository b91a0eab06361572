import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import { EventsBusDelivery } from './EventsBusDelivery';
import {
  PreviewSocketHost,
  PreviewSocketHostOptions,
} from './PreviewSocketHost';
import { ReplicaHeartbeat } from './ReplicaHeartbeat';
import { SocketStore } from './SocketStore';
import {
  UpgradeHook,
  closeAttachedOnRequest,
  createUpgradeHook,
} from './upgradeHook';

/** Preview sockets, wired: the host, its upgrade hook, and shutdown. */
export type PreviewSockets = {
  host: PreviewSocketHost;
  hook: UpgradeHook;
  replicaId: string;
  /**
   * Closes every hosted API and forgets this replica's connections (and
   * closes the upgrade dispatcher the router attached, if the server was
   * not handed over).
   */
  close(): Promise<void>;
};

/**
 * Creates this replica's preview socket host: WebSocket APIs of
 * environments under `<mountPath>/sockets/<environment id>/<stage>`, with
 * `@connections` calls for connections held by other replicas carried over
 * the events bus.
 */
export async function createPreviewSockets(options: {
  knex: Knex;
  environments: EnvironmentStore;
  auth: AuthService;
  /** Decides and audits `@connections` calls made with a Backstage token. */
  guard: EnvironmentGuard;
  events: EventsService;
  logger: LoggerService;
  mountPath: string;
  recentFrames: number;
  remoteTimeoutMs: number;
  /** Heartbeat period of this replica. @default 15 s */
  heartbeatIntervalMs?: number;
  /** After this long without a heartbeat a replica's connections are removed. @default 60 s */
  replicaStaleAfterMs?: number;
  /** Local previews, which `preview` route integrations call. */
  previews?: PreviewSocketHostOptions['previews'];
}): Promise<PreviewSockets> {
  const replicaId = randomUUID();
  const store = SocketStore.create({ knex: options.knex });
  const logger = options.logger.child({ component: 'preview-sockets' });
  const heartbeat = await ReplicaHeartbeat.start({
    store,
    replicaId,
    logger,
    intervalMs: options.heartbeatIntervalMs ?? 15_000,
    staleAfterMs: options.replicaStaleAfterMs ?? 60_000,
  });
  const host = PreviewSocketHost.create({
    environments: options.environments,
    store,
    auth: options.auth,
    guard: options.guard,
    logger,
    replicaId,
    mountPath: options.mountPath,
    recentFrames: options.recentFrames,
    previews: options.previews,
  });
  const delivery = await EventsBusDelivery.create({
    events: options.events,
    replicaId,
    holderOf: async (environmentId, connectionId) => {
      const row = await store.getConnection(connectionId);
      return row?.environmentId === environmentId ? row.replicaId : undefined;
    },
    local: host.local,
    logger,
    timeoutMs: options.remoteTimeoutMs,
  });
  host.setRemote(environmentId => delivery.forEnvironment(environmentId));
  const hook = createUpgradeHook({
    pathPrefix: `${options.mountPath}/sockets`,
    resolve: environmentId => host.upgradeTarget(environmentId),
    onError: error =>
      logger.error(`Preview socket upgrade failed: ${String(error)}`),
  });
  return {
    host,
    hook,
    replicaId,
    async close() {
      await heartbeat.stop();
      delivery.close();
      await host.close();
      await closeAttachedOnRequest(hook);
    },
  };
}
