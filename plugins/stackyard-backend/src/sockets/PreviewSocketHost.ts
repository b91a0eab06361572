import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  PreviewSocketConnection,
  PreviewSocketInspection,
  stackyardEnvironmentSocketManagePermission,
} from '@stackyard/plugin-stackyard-common';
import {
  ConnectionDirectory,
  ConnectionHolder,
  ConnectionSummary,
  EmulatorActivity,
  Integration,
  RemoteConnections,
  WebSocketApiEmulator,
  locateConnections,
} from '@stackyard/ws-emulator';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import {
  CredentialChecks,
  authorizeManagementRequest,
  authorizeUpgrade,
  sigV4AccessKeyId,
} from './authorizeUpgrade';
import { buildRoutes } from './buildRoutes';
import { withSessionProtocol } from './sessionProtocol';
import { createConnectionKey, hashConnectionKey } from './connectionKey';
import type { LocalConnections } from './EventsBusDelivery';
import type { SocketStore } from './SocketStore';
import { canonicalSocketUrl } from './socketPath';

const DEFAULT_EXPRESSION = '$request.body.action';
const LISTED_CONNECTIONS = 500;

/** One environment's hosted API: the emulator serving new connections, and older ones still holding connections. */
type Entry = {
  environmentId: string;
  stage: string;
  /** `updatedAt` of the definition the current emulator was built from. */
  version: number;
  current: WebSocketApiEmulator;
  retired: Set<WebSocketApiEmulator>;
  routes: PreviewSocketInspection['routes'];
  routeSelectionExpression: string;
};

/** Options of {@link PreviewSocketHost}. */
export type PreviewSocketHostOptions = {
  environments: EnvironmentStore;
  store: SocketStore;
  auth: AuthService;
  /** Decides and audits `@connections` calls made with a Backstage token. */
  guard: EnvironmentGuard;
  logger: LoggerService;
  /** Identifies this backend replica (holder of its connections). */
  replicaId: string;
  /** Where the plugin's routes are mounted, e.g. `/api/stackyard`. */
  mountPath: string;
  /** Capacity of each API's recent-frames ring buffer. */
  recentFrames: number;
  /** Connections held by other replicas; set once the events bus is ready. */
  remote?: (environmentId: string) => RemoteConnections;
  /**
   * Local previews: `preview` integrations call the environment's runner,
   * whose `@connections` calls sign with its runner key.
   */
  previews?: {
    integration(environmentId: string, fn: string): Integration;
    isRunnerKey(environmentId: string, key: string): boolean;
  };
};

/**
 * Hosts the WebSocket APIs recorded for environments, one emulator per
 * environment, created on first use and rebuilt when the environment's
 * routes are re-registered (open connections stay on the emulator they
 * connected to). Records which replica holds each connection.
 */
export class PreviewSocketHost {
  private readonly entries = new Map<string, Entry>();
  private readonly loads = new Map<string, Promise<Entry | undefined>>();
  private readonly inserts = new Map<string, Promise<void>>();
  private remote?: (environmentId: string) => RemoteConnections;
  private closed = false;

  static create(options: PreviewSocketHostOptions): PreviewSocketHost {
    return new PreviewSocketHost(options);
  }

  private constructor(private readonly options: PreviewSocketHostOptions) {
    this.remote = options.remote;
  }

  /** Connects the host to the other replicas. */
  setRemote(remote: (environmentId: string) => RemoteConnections): void {
    this.remote = remote;
  }

  /** Base path of an environment's API. */
  basePath(environmentId: string): string {
    return `${this.options.mountPath}/sockets/${environmentId}`;
  }

  /**
   * What takes new upgrades of the environment, if it has an API: its
   * current emulator, given the request URL with the environment id in the
   * case of the API's base path (ids match case-insensitively).
   */
  async upgradeTarget(
    environmentId: string,
  ): Promise<Pick<WebSocketApiEmulator, 'handleUpgrade'> | undefined> {
    const entry = await this.entryFor(environmentId.toLowerCase());
    if (!entry) return undefined;
    const emulator = entry.current;
    const socketsPrefix = `${this.options.mountPath}/sockets`;
    return {
      handleUpgrade: (req, socket, head) => {
        req.url = canonicalSocketUrl(req.url ?? '/', socketsPrefix);
        emulator.handleUpgrade(req, socket, head);
      },
    };
  }

  /**
   * Serves an `@connections` request of the environment (`req.url` is the
   * full path). False when the environment has no API or the path is not a
   * management path.
   */
  async handleManagementRequest(
    environmentId: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    // A runner's own calls are served by the API already loaded, without
    // reading the database per message: the key is known to its runner
    // only, and is dropped when the preview is torn down here, before the
    // API is. The emulator still authorizes the request.
    const loaded = this.entries.get(environmentId);
    const keyId = loaded && sigV4AccessKeyId(req);
    if (keyId && this.options.previews?.isRunnerKey(environmentId, keyId)) {
      return loaded!.current.handleRequest(req, res);
    }
    const entry = await this.entryFor(environmentId);
    return entry ? entry.current.handleRequest(req, res) : false;
  }

  /**
   * The `@connections` operations of the environment's local preview
   * runner, which it calls over its own channel (bound to this environment
   * when the runner starts): those an HTTP call runs (the emulator's own),
   * on the API already loaded, as for the runner's HTTP calls above.
   * @throws ManagementApiError as the HTTP path answers it; a plain Error
   * when no API of the environment is loaded here (torn down, or not used
   * since this backend started): the runner then calls over HTTP, so its
   * channel never has the database read.
   */
  runnerConnections(environmentId: string): ConnectionDirectory {
    // Not async: calls run in the order they come.
    const run = <T>(
      operation: (api: WebSocketApiEmulator) => Promise<T>,
    ): Promise<T> => {
      const loaded = this.entries.get(environmentId);
      return loaded
        ? operation(loaded.current)
        : Promise.reject(new Error(`no API of ${environmentId} is loaded`));
    };
    return {
      post: (id, data) => run(api => api.postToConnection(id, data)),
      get: id => run(api => api.getConnection(id)),
      delete: id => run(api => api.deleteConnection(id)),
    };
  }

  /** Connections (every replica) and recent frames (this replica) of the environment's API. */
  async inspect(
    environmentId: string,
    frameLimit: number,
  ): Promise<PreviewSocketInspection | undefined> {
    const entry = await this.entryFor(environmentId);
    if (!entry) return undefined;
    const local = new Map<string, ConnectionSummary>();
    for (const emulator of this.emulatorsOf(entry)) {
      for (const summary of emulator.listConnections()) {
        local.set(summary.connectionId, summary);
      }
    }
    const rows = await this.options.store.listConnections(
      environmentId,
      LISTED_CONNECTIONS,
    );
    const connections: PreviewSocketConnection[] = rows.map(row => {
      const held = local.get(row.connectionId);
      local.delete(row.connectionId);
      return held
        ? toConnection(held)
        : {
            connectionId: row.connectionId,
            connectedAt: row.connectedAt.toISOString(),
            ...(row.sourceIp && { sourceIp: row.sourceIp }),
            ...(row.userAgent && { userAgent: row.userAgent }),
          };
    });
    connections.push(...[...local.values()].map(toConnection));
    const frames = this.emulatorsOf(entry)
      .flatMap(e => e.recentFrames())
      .sort((a, b) => a.at - b.at)
      .slice(-frameLimit);
    const basePath = this.basePath(environmentId);
    return {
      path: `${basePath}/${entry.stage}`,
      connectionsPath: `${basePath}/${entry.stage}/@connections`,
      stage: entry.stage,
      routeSelectionExpression: entry.routeSelectionExpression,
      routes: entry.routes,
      connections,
      recentFrames: frames.map(f => ({
        at: new Date(f.at).toISOString(),
        connectionId: f.connectionId,
        direction: f.direction,
        isBinary: f.isBinary,
        size: f.size,
        preview: f.preview,
        ...(f.routeKey !== undefined && { routeKey: f.routeKey }),
      })),
    };
  }

  /**
   * Sends to / closes a connection of the environment, wherever it is held.
   * Undefined when the environment has no API.
   * @throws ManagementApiError (GoneException, PayloadTooLargeException, LimitExceededException)
   */
  async send(
    environmentId: string,
    connectionId: string,
    data: Buffer,
  ): Promise<boolean> {
    const entry = await this.entryFor(environmentId);
    if (!entry) return false;
    await entry.current.postToConnection(connectionId, data);
    return true;
  }

  async disconnect(
    environmentId: string,
    connectionId: string,
  ): Promise<boolean> {
    const entry = await this.entryFor(environmentId);
    if (!entry) return false;
    await entry.current.deleteConnection(connectionId);
    return true;
  }

  /**
   * Reloads the environment's API from the database: a torn-down
   * environment's connections are closed and its URL stops answering.
   */
  async refresh(environmentId: string): Promise<void> {
    await this.entryFor(environmentId);
  }

  /** A new connection key for the environment; undefined when it has no API. */
  async rotateConnectionKey(
    environmentId: string,
  ): Promise<string | undefined> {
    const key = createConnectionKey();
    const stored = await this.options.store.setConnectionKeyHash(
      environmentId,
      hashConnectionKey(key),
    );
    return stored ? key : undefined;
  }

  /** The environment's connections this replica holds, for the events bus. */
  readonly local: LocalConnections = environmentId =>
    locateConnections({ here: () => this.heldHere(environmentId) });

  /** Closes every API (running `$disconnect`s) and forgets this replica's connections. */
  async close(): Promise<void> {
    this.closed = true;
    const emulators = [...this.entries.values()].flatMap(e =>
      this.emulatorsOf(e),
    );
    this.entries.clear();
    await Promise.all(emulators.map(e => e.close()));
    await Promise.all([...this.inserts.values()]);
    await this.options.store.removeReplica(this.options.replicaId, {
      logger: this.options.logger,
    });
  }

  // ------------------------------------------------------------ internals

  private emulatorsOf(entry: Entry): WebSocketApiEmulator[] {
    return [entry.current, ...entry.retired];
  }

  /** The environment's emulators on this replica, current first. */
  private heldHere(environmentId: string): ConnectionHolder[] {
    const entry = this.entries.get(environmentId);
    return entry ? this.emulatorsOf(entry).map(e => e.heldConnections) : [];
  }

  /** The environment's entry, built or rebuilt from the database; one load at a time per environment. */
  private entryFor(environmentId: string): Promise<Entry | undefined> {
    const previous =
      this.loads.get(environmentId) ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then(() => this.load(environmentId));
    this.loads.set(environmentId, next);
    void next.finally(() => {
      if (this.loads.get(environmentId) === next) {
        this.loads.delete(environmentId);
      }
    });
    return next;
  }

  private async load(environmentId: string): Promise<Entry | undefined> {
    if (this.closed) return undefined;
    const existing = this.entries.get(environmentId);
    const environment = await this.options.environments.getEnvironment(
      environmentId,
    );
    const api = environment
      ? await this.options.store.getApi(environmentId)
      : undefined;
    if (
      !environment ||
      !api ||
      environment.status === 'deleted' ||
      environment.status === 'deleting'
    ) {
      if (existing) this.retireAll(existing);
      return undefined;
    }
    const version = api.updatedAt.getTime();
    if (existing && existing.version === version) {
      return existing;
    }
    const checks = this.checks(environmentId);
    const expression =
      api.definition.routeSelectionExpression ?? DEFAULT_EXPRESSION;
    const emulator: WebSocketApiEmulator = WebSocketApiEmulator.create({
      routes: withSessionProtocol(
        buildRoutes(api.definition, fn =>
          this.previewIntegration(environmentId, fn),
        ),
      ),
      routeSelectionExpression: expression,
      stage: environment.stage,
      apiId: environmentId.replace(/-/g, '').slice(0, 10),
      basePath: this.basePath(environmentId),
      recentFrames: this.options.recentFrames,
      authorizeUpgrade: req => authorizeUpgrade(req, checks),
      authorizeManagementRequest: req =>
        authorizeManagementRequest(req, checks),
      remoteConnections: this.remoteFor(environmentId, () => emulator),
      onActivity: activity =>
        this.onActivity(environmentId, emulator, activity),
    });
    const entry: Entry = {
      environmentId,
      stage: environment.stage,
      version,
      current: emulator,
      retired: new Set(existing ? this.emulatorsOf(existing) : []),
      routes: Object.fromEntries(
        Object.entries(api.definition.routes).map(([key, route]) => [
          key,
          { type: route.integration.type, response: route.response ?? false },
        ]),
      ),
      routeSelectionExpression: expression,
    };
    this.entries.set(environmentId, entry);
    for (const old of entry.retired) this.closeIfIdle(entry, old);
    return entry;
  }

  private previewIntegration(environmentId: string, fn: string): Integration {
    const { previews } = this.options;
    if (!previews) {
      throw new TypeError(
        `Route integration preview:${fn} needs local previews, which this backend does not run`,
      );
    }
    return previews.integration(environmentId, fn);
  }

  private retireAll(entry: Entry): void {
    this.entries.delete(entry.environmentId);
    for (const emulator of this.emulatorsOf(entry)) {
      void emulator.close();
    }
  }

  private closeIfIdle(entry: Entry, emulator: WebSocketApiEmulator): void {
    if (emulator !== entry.current && emulator.stats().connections === 0) {
      entry.retired.delete(emulator);
      void emulator.close();
    }
  }

  private checks(environmentId: string): CredentialChecks {
    const { auth, store } = this.options;
    return {
      verifyToken: async (token, use, req) => {
        let credentials;
        try {
          credentials = await auth.authenticate(token);
        } catch {
          return false;
        }
        if (
          !auth.isPrincipal(credentials, 'user') &&
          !auth.isPrincipal(credentials, 'service')
        ) {
          return false;
        }
        if (use === 'connect') return true;
        return this.mayManage(environmentId, credentials, req);
      },
      connectionKeyHash: async () =>
        (await store.getApi(environmentId))?.connectionKeyHash,
      isRunnerKey: key =>
        this.options.previews?.isRunnerKey(environmentId, key) ?? false,
    };
  }

  /**
   * Whether the caller may make an `@connections` call on the environment
   * (the socket management permission on its entity), audited either way.
   * Calls authenticated with the connection key are the application's own
   * traffic and are not audited.
   */
  private async mayManage(
    environmentId: string,
    credentials: Parameters<EnvironmentGuard['isAllowed']>[2],
    req: IncomingMessage,
  ): Promise<boolean> {
    const environment = await this.options.environments.getEnvironment(
      environmentId,
    );
    if (!environment) return false;
    try {
      await this.options.guard.run(
        {
          eventId: 'preview-socket-management',
          credentials,
          meta: {
            environmentId,
            stackName: environment.stackName,
            method: req.method ?? 'GET',
            path: (req.url ?? '').split('?')[0],
          },
        },
        guard =>
          guard.authorize(
            stackyardEnvironmentSocketManagePermission,
            environment.entityRef,
            `You may not manage the preview sockets of ${environment.entityRef}`,
          ),
      );
      return true;
    } catch (error) {
      if (isError(error) && error.name === 'NotAllowedError') return false;
      throw error;
    }
  }

  /** What an emulator does not hold: other emulators of this replica first, then other replicas. */
  private remoteFor(
    environmentId: string,
    self: () => WebSocketApiEmulator,
  ): RemoteConnections {
    return locateConnections({
      here: () =>
        this.heldHere(environmentId).filter(h => h !== self().heldConnections),
      elsewhere: () => this.remote?.(environmentId),
    });
  }

  private onActivity(
    environmentId: string,
    emulator: WebSocketApiEmulator,
    activity: EmulatorActivity,
  ): void {
    const { logger, store, replicaId } = this.options;
    switch (activity.type) {
      case 'connect': {
        const id = activity.connectionId;
        const insert = emulator
          .getConnection(id, { localOnly: true })
          .catch(() => undefined)
          .then(info =>
            store.addConnection({
              connectionId: id,
              environmentId,
              replicaId,
              connectedAt: info ? new Date(info.connectedAt) : new Date(),
              sourceIp: activity.sourceIp,
              userAgent: info?.identity.userAgent || undefined,
            }),
          )
          .catch(error =>
            logger.warn(`Could not record connection ${id}: ${error}`),
          );
        this.inserts.set(id, insert);
        void insert.finally(() => {
          if (this.inserts.get(id) === insert) this.inserts.delete(id);
        });
        logger.debug(`Preview socket ${id} connected to ${environmentId}`);
        return;
      }
      case 'disconnect': {
        const id = activity.connectionId;
        const inserted = this.inserts.get(id) ?? Promise.resolve();
        void inserted
          .then(() => store.removeConnection(id))
          .catch(error =>
            logger.warn(`Could not forget connection ${id}: ${error}`),
          );
        const entry = this.entries.get(environmentId);
        if (entry?.retired.has(emulator)) this.closeIfIdle(entry, emulator);
        logger.debug(
          `Preview socket ${id} of ${environmentId} disconnected (${activity.statusCode})`,
        );
        return;
      }
      case 'error':
        logger.warn(
          `Preview socket API of ${environmentId}: ${activity.message}`,
        );
        return;
      default:
        return;
    }
  }
}

function toConnection(summary: ConnectionSummary): PreviewSocketConnection {
  return {
    connectionId: summary.connectionId,
    connectedAt: summary.connectedAt,
    lastActiveAt: summary.lastActiveAt,
    sourceIp: summary.identity.sourceIp,
    ...(summary.identity.userAgent && {
      userAgent: summary.identity.userAgent,
    }),
    ...(summary.subprotocol && { subprotocol: summary.subprotocol }),
    bufferedBytes: summary.bufferedBytes,
    droppedFrames: summary.droppedFrames,
  };
}
