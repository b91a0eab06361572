import type { WebSocketApiDefinition } from '@stackyard/plugin-stackyard-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { toDate } from '../database/rows';

const APIS = 'stackyard_socket_apis';
const CONNECTIONS = 'stackyard_socket_connections';
const REPLICAS = 'stackyard_socket_replicas';

/** How long {@link SocketStore.removeReplica} may take by default. */
export const REMOVE_REPLICA_TIMEOUT_MS = 5000;

/** The WebSocket API recorded for an environment. */
export type StoredSocketApi = {
  environmentId: string;
  definition: WebSocketApiDefinition;
  /** SHA-256 (hex) of the connection key, when one was created. */
  connectionKeyHash?: string;
  /** Changes whenever the definition is re-registered. */
  updatedAt: Date;
};

/** An open connection and the replica holding it. */
export type StoredConnection = {
  connectionId: string;
  environmentId: string;
  replicaId: string;
  connectedAt: Date;
  sourceIp?: string;
  userAgent?: string;
};

type ApiRow = {
  environment_id: string;
  definition: string;
  connection_key_hash: string | null;
  updated_at: Date | string | number;
};

type ConnectionRow = {
  connection_id: string;
  environment_id: string;
  replica_id: string;
  connected_at: Date | string | number;
  source_ip: string | null;
  user_agent: string | null;
};

const toConnection = (row: ConnectionRow): StoredConnection => ({
  connectionId: row.connection_id,
  environmentId: row.environment_id,
  replicaId: row.replica_id,
  connectedAt: toDate(row.connected_at),
  sourceIp: row.source_ip ?? undefined,
  userAgent: row.user_agent ?? undefined,
});

/**
 * Preview socket state in Backstage's database: the recorded WebSocket APIs
 * (written with deployments by the environment store) and the open
 * connections of every replica. The tables come from the plugin's migrations.
 */
export class SocketStore {
  static create(options: { knex: Knex }): SocketStore {
    return new SocketStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async getApi(environmentId: string): Promise<StoredSocketApi | undefined> {
    const row = await this.db<ApiRow>(APIS)
      .where({ environment_id: environmentId })
      .first();
    if (!row) return undefined;
    return {
      environmentId: row.environment_id,
      definition: JSON.parse(row.definition),
      connectionKeyHash: row.connection_key_hash ?? undefined,
      updatedAt: toDate(row.updated_at),
    };
  }

  /** Replaces the connection key's hash; false when the environment has no API. */
  async setConnectionKeyHash(
    environmentId: string,
    hash: string,
  ): Promise<boolean> {
    const updated = await this.db(APIS)
      .where({ environment_id: environmentId })
      .update({ connection_key_hash: hash });
    return updated === 1;
  }

  async addConnection(connection: StoredConnection): Promise<void> {
    await this.db(CONNECTIONS)
      .insert({
        connection_id: connection.connectionId,
        environment_id: connection.environmentId,
        replica_id: connection.replicaId,
        connected_at: connection.connectedAt,
        source_ip: connection.sourceIp?.slice(0, 64) ?? null,
        user_agent: connection.userAgent?.slice(0, 1024) ?? null,
      })
      .onConflict('connection_id')
      .ignore();
  }

  async removeConnection(connectionId: string): Promise<void> {
    await this.db(CONNECTIONS).where({ connection_id: connectionId }).delete();
  }

  /**
   * Forgets a replica and every connection of it (it stopped). This is a
   * shutdown write, so it is bounded: when it cannot finish within
   * `timeoutMs` (the database has no connection to give, as with an
   * in-memory SQLite whose only connection another shutdown hook holds;
   * knex would wait `acquireConnectionTimeout`, 60 s), it is given up, a
   * warning says so, and the rows are left to the replica heartbeat's
   * expiry of stale replicas. Resolves whether the rows were removed.
   */
  async removeReplica(
    replicaId: string,
    options: { timeoutMs?: number; logger?: Pick<LoggerService, 'warn'> } = {},
  ): Promise<boolean> {
    const timeoutMs = options.timeoutMs ?? REMOVE_REPLICA_TIMEOUT_MS;
    const removal = (async () => {
      await this.db(CONNECTIONS).where({ replica_id: replicaId }).delete();
      await this.db(REPLICAS).where({ replica_id: replicaId }).delete();
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>(resolve => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const removed = await Promise.race([removal, timedOut]);
      if (!removed) {
        // Still waiting for a connection; however that ends, nobody waits.
        removal.catch(() => {});
        options.logger?.warn(
          `Preview sockets: could not remove replica ${replicaId}'s rows within ${timeoutMs} ms at shutdown; the replica heartbeat of a live replica (or of the next start) expires them once they are stale`,
        );
      }
      return removed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records that a replica is alive at `now`. */
  async heartbeat(replicaId: string, now: Date): Promise<void> {
    await this.db(REPLICAS)
      .insert({ replica_id: replicaId, last_seen_at: now })
      .onConflict('replica_id')
      .merge(['last_seen_at']);
  }

  /** How many replicas were seen since `since`. */
  async liveReplicas(since: Date): Promise<number> {
    const [row] = await this.db(REPLICAS)
      .where('last_seen_at', '>=', since)
      .count({ n: '*' });
    return Number((row as { n: number | string } | undefined)?.n ?? 0);
  }

  /** The ids of the replicas seen since `since` (alive). */
  async liveReplicaIds(since: Date): Promise<string[]> {
    const rows = await this.db(REPLICAS)
      .where('last_seen_at', '>=', since)
      .select('replica_id');
    return rows.map((row: { replica_id: string }) => row.replica_id);
  }

  /**
   * Removes the connections of replicas not seen since `staleBefore` (or
   * never seen: they predate heartbeats), and those replicas' rows.
   * Returns how many connections were removed.
   */
  async expireStaleReplicas(staleBefore: Date): Promise<number> {
    const live = this.db(REPLICAS)
      .select('replica_id')
      .where('last_seen_at', '>=', staleBefore);
    const removed = await this.db(CONNECTIONS)
      .whereNotIn('replica_id', live)
      .delete();
    await this.db(REPLICAS).where('last_seen_at', '<', staleBefore).delete();
    return removed;
  }

  async getConnection(
    connectionId: string,
  ): Promise<StoredConnection | undefined> {
    const row = await this.db<ConnectionRow>(CONNECTIONS)
      .where({ connection_id: connectionId })
      .first();
    return row ? toConnection(row) : undefined;
  }

  async listConnections(
    environmentId: string,
    limit: number,
  ): Promise<StoredConnection[]> {
    const rows = await this.db<ConnectionRow>(CONNECTIONS)
      .where({ environment_id: environmentId })
      .orderBy([
        { column: 'connected_at', order: 'asc' },
        { column: 'connection_id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toConnection);
  }
}
