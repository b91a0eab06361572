import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ActivityLog } from './activity/ActivityLog';
import { ChannelHub, parseChannelData } from './channels';
import { ConnectionRegistry } from './connection/ConnectionRegistry';
import { createApiId } from './ids';
import { createInvocationTracker } from './integrations/invoke';
import { InvocationTracker } from './integrations/InvocationTracker';
import { IntegrationError } from './integrations/types';
import { EmulatorLimits, resolveLimits } from './limits';
import {
  ConnectionDirectory,
  ConnectionHolder,
  locateConnections,
} from './management/ConnectionDirectory';
import { PayloadTooLargeException } from './management/errors';
import { handleManagementRequest } from './management/handleManagementRequest';
import { localConnections } from './management/localConnections';
import { parseManagementPath } from './management/managementRoutes';
import { compileRouteSelectionExpression } from './routeSelection';
import { MessageRouter } from './routing/MessageRouter';
import { validateRoutes } from './routing/validateRoutes';
import type {
  ConnectionInfo,
  ConnectionSummary,
  FrameRecord,
  RouteDefinition,
  WebSocketApiEmulatorOptions,
} from './types';
import { Handshake } from './upgrade/Handshake';

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

function validateStage(stage: string): string {
  if (!STAGE.test(stage)) {
    throw new TypeError(
      `Invalid stage ${JSON.stringify(
        stage,
      )}: use 1-128 letters, digits, _ or -`,
    );
  }
  return stage;
}

/** '' or '/…' without a trailing slash. */
function normalizeBasePath(basePath: string): string {
  if (basePath !== '' && (!basePath.startsWith('/') || /[?#]/.test(basePath))) {
    throw new TypeError(
      `Invalid basePath ${JSON.stringify(
        basePath,
      )}: must start with / and hold no query`,
    );
  }
  return basePath.replace(/\/+$/, '');
}

/**
 * An emulated API Gateway WebSocket API. It owns no server: mount it on any
 * `http.Server` by passing upgrades to {@link WebSocketApiEmulator.handleUpgrade}
 * and requests to {@link WebSocketApiEmulator.handleRequest}, or use
 * `startWebSocketApiServer` for a standalone server.
 *
 * The work is done by one module per job: `Handshake` (upgrade checks,
 * `authorizeUpgrade`, `$connect`, then `ws`), `ConnectionRegistry` (open
 * connections, limits, `$disconnect`), `MessageRouter` (route selection and
 * integrations), `ChannelHub` (channels), `localConnections` and
 * `locateConnections` (`@connections`), `ActivityLog` (frames and logs).
 * @public
 */
export class WebSocketApiEmulator {
  /** The limits in force (defaults filled in). */
  readonly limits: EmulatorLimits;
  /** Stage name. */
  readonly stage: string;
  /** API id used in events. */
  readonly apiId: string;
  /** Normalised base path ('' or '/…' without trailing slash). */
  readonly basePath: string;
  /**
   * This emulator's own connections: the `@connections` operations that
   * never look elsewhere (what `{ localOnly: true }` does), and `holds(id)`.
   * For {@link locateConnections} over several emulators.
   */
  readonly heldConnections: ConnectionHolder;

  private readonly routes: Map<string, RouteDefinition>;
  private readonly log: ActivityLog;
  private readonly channels?: ChannelHub;
  private readonly handshake: Handshake;
  private readonly registry: ConnectionRegistry;
  /** Held here, else `remoteConnections`, else gone. */
  private readonly anywhere: ConnectionDirectory;
  private readonly inFlight: InvocationTracker;
  private closed = false;

  /** Creates an emulator; throws `TypeError` naming any invalid option. */
  static create(options: WebSocketApiEmulatorOptions): WebSocketApiEmulator {
    return new WebSocketApiEmulator(options);
  }

  private constructor(private readonly options: WebSocketApiEmulatorOptions) {
    validateRoutes(options.routes);
    this.routes = new Map(Object.entries(options.routes));
    const select = compileRouteSelectionExpression(
      options.routeSelectionExpression ?? '$request.body.action',
    );
    this.limits = resolveLimits(options.limits);
    this.stage = validateStage(options.stage ?? 'local');
    this.apiId = options.apiId ?? createApiId();
    this.basePath = normalizeBasePath(options.basePath ?? '');
    this.log = new ActivityLog(
      options.recentFrames ?? 200,
      options.framePreviewChars ?? 256,
      options.onActivity,
    );
    if (options.channels?.enabled) {
      this.channels = new ChannelHub(
        options.channels.maxChannelsPerConnection ?? 100,
      );
    }
    const timeoutMs = this.limits.integrationTimeoutMs;
    this.inFlight = createInvocationTracker(timeoutMs);
    const router = new MessageRouter(
      this.routes,
      select,
      timeoutMs,
      this.inFlight,
      this.log,
      this.channels,
    );
    this.registry = new ConnectionRegistry(
      this.limits,
      this.routes.get('$disconnect'),
      createInvocationTracker(timeoutMs),
      this.log,
      (connection, message) => router.handle(connection, message),
      this.channels,
    );
    this.handshake = new Handshake({
      stage: this.stage,
      apiId: this.apiId,
      domainName: options.domainName,
      createConnectionId: options.createConnectionId,
      limits: this.limits,
      connectRoute: this.routes.get('$connect'),
      authorizeUpgrade: options.authorizeUpgrade,
      acceptsPath: url => {
        const sub = this.subPath(url);
        return (
          sub !== undefined &&
          ['', '/', `/${this.stage}`, `/${this.stage}/`].includes(sub)
        );
      },
      isClosed: () => this.closed,
      inFlight: this.inFlight,
      log: this.log,
      onOpen: (ws, socket, facts) => this.registry.accept(ws, socket, facts),
    });
    this.heldConnections = localConnections(
      id => this.registry.get(id),
      this.log,
    );
    const here = [this.heldConnections];
    this.anywhere = locateConnections({
      here: () => here,
      elsewhere: () => options.remoteConnections,
    });
  }

  /** The path after the base path, or undefined when `url` is not under it. */
  private subPath(url: string | undefined): string | undefined {
    const path = (url ?? '/').split('?')[0];
    if (this.basePath === '') {
      return path;
    }
    if (path === this.basePath) {
      return '';
    }
    return path.startsWith(`${this.basePath}/`)
      ? path.slice(this.basePath.length)
      : undefined;
  }

  /**
   * Serves an `upgrade` event of an `http.Server`. Runs `authorizeUpgrade`,
   * then `$connect`; only then completes the WebSocket handshake. Refusals
   * are answered with an HTTP response (JSON `{"message": …}` body):
   * 400/405/426 malformed upgrade, 403 wrong path, 429 connection rate
   * exceeded, 401 (or the hook's status) unauthorized, `$connect`'s own
   * status when it is not 2xx, 500 when `$connect` fails, 504 when it
   * times out, 503 when the emulator is closed.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.handshake.handleUpgrade(req, socket, head);
  }

  /**
   * Serves an HTTP request if it is a management request under the base
   * path (`@connections`, `@channels`); returns false, without touching the
   * response, otherwise.
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const sub = this.subPath(req.url);
    const target =
      sub === undefined ? undefined : parseManagementPath(sub, this.stage);
    if (!target) {
      return false;
    }
    void handleManagementRequest(req, res, target, {
      post: (id, data) => this.postToConnection(id, data),
      get: id => this.getConnection(id),
      delete: id => this.deleteConnection(id),
      publish: this.channels
        ? (name, data) => this.publish(name, parseChannelData(data))
        : undefined,
      authorize: r => this.options.authorizeManagementRequest?.(r) ?? true,
      maxMessageBytes: this.limits.maxMessageBytes,
    });
    return true;
  }

  private directory(options: { localOnly?: boolean }): ConnectionDirectory {
    return options.localOnly ? this.heldConnections : this.anywhere;
  }

  /**
   * Sends data to a connection, as `POST @connections/{id}` does: a text
   * frame when the data is valid UTF-8, a binary frame otherwise.
   * Connections held elsewhere go through `remoteConnections`.
   * @throws GoneException, PayloadTooLargeException, LimitExceededException
   */
  postToConnection(
    connectionId: string,
    data: string | Buffer,
    options: { localOnly?: boolean } = {},
  ): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length > this.limits.maxMessageBytes) {
      return Promise.reject(
        new PayloadTooLargeException(bytes.length, this.limits.maxMessageBytes),
      );
    }
    return this.directory(options).post(connectionId, bytes);
  }

  /**
   * Describes a connection as `GET @connections/{id}` does.
   * @throws GoneException
   */
  getConnection(
    connectionId: string,
    options: { localOnly?: boolean } = {},
  ): Promise<ConnectionInfo> {
    return this.directory(options).get(connectionId);
  }

  /**
   * Closes a connection (code 1000) as `DELETE @connections/{id}` does.
   * @throws GoneException
   */
  deleteConnection(
    connectionId: string,
    options: { localOnly?: boolean } = {},
  ): Promise<void> {
    return this.directory(options).delete(connectionId);
  }

  /**
   * Publishes to a channel's subscribers; returns how many got it.
   * @throws Error when channels are not enabled.
   */
  publish(channel: string, data: unknown): number {
    if (!this.channels) {
      throw new Error('Channels are not enabled');
    }
    return this.channels.publish(channel, data);
  }

  /** The open connections held by this emulator. */
  listConnections(): ConnectionSummary[] {
    return this.registry.list();
  }

  /** Whether this emulator holds the connection. */
  hasConnection(connectionId: string): boolean {
    return this.heldConnections.holds(connectionId);
  }

  /** The most recent frames, oldest first (at most `limit`). */
  recentFrames(limit?: number): FrameRecord[] {
    return this.log.recentFrames(limit);
  }

  /** Counts for monitoring. */
  stats(): {
    connections: number;
    pendingUpgrades: number;
    pendingDisconnects: number;
  } {
    return {
      connections: this.registry.size,
      pendingUpgrades: this.handshake.pendingCount,
      pendingDisconnects: this.registry.pendingDisconnectCount,
    };
  }

  /**
   * Closes every connection with 1001 (running `$disconnect` for each),
   * refuses pending and future upgrades with 503, then closes the
   * integrations. Resolves when all `$disconnect`s have finished.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.registry.closeAll();
    this.inFlight.failAll(new IntegrationError('Emulator closed'));
    await this.registry.disconnected();
    for (const route of this.routes.values()) {
      route.integration.close?.();
    }
    this.handshake.close();
  }
}
