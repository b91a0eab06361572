import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';
import { SocketStore } from '../sockets/SocketStore';
import { TemplateCatalog } from './TemplateCatalog';
import { TemplateUpgradeStore } from './TemplateUpgradeStore';
import { TemplateUpgrader } from './TemplateUpgrader';
import type { UpgradeEngine } from './UpgradeEngine';

/** A replica not seen for this long has stopped (the preview sockets heartbeat's staleness). */
const REPLICA_STALE_AFTER_MS = 60_000;

/** Template upgrades: where they are kept, what runs them, and the catalog's view. */
export type TemplateServices = {
  upgrades: TemplateUpgradeStore;
  upgrader: TemplateUpgrader;
  catalog: TemplateCatalog;
  /**
   * Marks failed the queued and running upgrades of replicas that stopped
   * (no heartbeat for a minute, or gone at shutdown): nothing runs them
   * any more. Done once at startup; the plugin repeats it on a schedule for
   * a replica that crashed less than a minute before another started.
   */
  failInterrupted(): Promise<string[]>;
};

/**
 * Wires template upgrades for one backend replica, and marks failed the
 * upgrades a restart interrupted. `replicaId` is this replica's preview
 * sockets heartbeat id: an upgrade runs in the memory of the replica that
 * started it, and is alive as long as that replica's heartbeat is.
 */
export async function createTemplateServices(options: {
  knex: Knex;
  catalog: CatalogService;
  engine: UpgradeEngine;
  logger: LoggerService;
  replicaId: string;
  localPublishDirectory?: string;
  now?: () => Date;
}): Promise<TemplateServices> {
  const { knex, logger, replicaId } = options;
  const now = options.now ?? (() => new Date());
  const upgrades = new TemplateUpgradeStore({ db: knex, now, replicaId });
  const upgrader = new TemplateUpgrader({
    store: upgrades,
    engine: options.engine,
    logger,
  });
  const replicas = SocketStore.create({ knex });
  const failInterrupted = async () => {
    const live = await replicas.liveReplicaIds(
      new Date(Date.now() - REPLICA_STALE_AFTER_MS),
    );
    // This replica is alive even before its heartbeat is first read.
    const failed = await upgrades.failInterrupted([...live, replicaId]);
    if (failed.length > 0) {
      logger.warn(
        `Marked ${
          failed.length
        } template upgrade(s) failed: the backend replica running them stopped (${failed.join(
          ', ',
        )})`,
      );
    }
    return failed;
  };
  await failInterrupted();
  return {
    upgrades,
    upgrader,
    catalog: new TemplateCatalog(
      options.catalog,
      options.localPublishDirectory,
      options.engine.hostedRepositories,
    ),
    failInterrupted,
  };
}
