import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ChannelHub, channelFrameProblem } from './channels';
import { Connection, InboundMessage } from './connection/Connection';
import { attachFrameSizeGuard } from './connection/frameSizeGuard';
import {
  ConnectionFacts,
  collectHeaders,
  collectQuery,
  connectEvent,
  disconnectEvent,
  disconnectReasonFor,
  messageEvent,
  sourceIpOf,
} from './events';
import { createApiId, createAwsStyleId } from './ids';
import {
  createInvocationTracker,
  invokeWithTimeout,
} from './integrations/invoke';
import { InvocationTracker } from './integrations/InvocationTracker';
import { isSuccess, proxyHeader } from './integrations/proxyResult';
import {
  IntegrationError,
  IntegrationTimeoutError,
} from './integrations/types';
import { EmulatorLimits, resolveLimits } from './limits';
import {
  GoneException,
  LimitExceededException,
  PayloadTooLargeException,
} from './management/errors';
import { handleManagementRequest } from './management/handleManagementRequest';
import { parseManagementPath } from './management/managementRoutes';
import { RateLimiter } from './RateLimiter';
import { RingBuffer } from './RingBuffer';
import {
  compileRouteSelectionExpression,
  RouteKeySelector,
} from './routeSelection';
import type {
  ConnectionInfo,
  ConnectionSummary,
  EmulatorActivity,
  FrameRecord,
  RouteDefinition,
  UpgradeAuthorization,
  WebSocketApiEmulatorOptions,
} from './types';
import { addGatewayHeaders } from './upgrade/gatewayHeaders';
import { refuseUpgrade } from './upgrade/refuseUpgrade';
import { offeredProtocols, validateUpgrade } from './upgrade/validateUpgrade';

const SPECIAL_ROUTES = new Set(['$connect', '$disconnect', '$default']);
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

function validateRoutes(routes: Readonly<Record<string, RouteDefinition>>) {
  if (!routes || typeof routes !== 'object') {
    throw new TypeError(
      'routes must be an object mapping route keys to routes',
    );
  }
  for (const [key, route] of Object.entries(routes)) {
    if (
      key.startsWith('$')
        ? !SPECIAL_ROUTES.has(key)
        : key.length === 0 || key.length > 128
    ) {
      throw new TypeError(
        `Invalid route key ${JSON.stringify(
          key,
        )}: use $connect, $disconnect, $default or 1-128 characters not starting with $`,
      );
    }
    if (!route || typeof route.integration?.invoke !== 'function') {
      throw new TypeError(`Route ${JSON.stringify(key)} has no integration`);
    }
  }
}

function toInfo(connection: Connection): ConnectionInfo {
  return {
    connectedAt: new Date(connection.facts.connectedAt).toISOString(),
    identity: {
      sourceIp: connection.facts.sourceIp,
      userAgent: connection.facts.userAgent ?? '',
    },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  };
}

/**
 * An emulated API Gateway WebSocket API. It owns no server: mount it on any
 * `http.Server` by passing upgrades to {@link WebSocketApiEmulator.handleUpgrade}
 * and requests to {@link WebSocketApiEmulator.handleRequest}, or use
 * `startWebSocketApiServer` for a standalone server.
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

  private readonly routes: Map<string, RouteDefinition>;
  private readonly select: RouteKeySelector;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly pendingUpgrades = new Set<Duplex>();
  private readonly pendingDisconnects = new Set<Promise<void>>();
  private readonly selectedProtocols = new WeakMap<IncomingMessage, string>();
  private readonly frames: RingBuffer<FrameRecord>;
  private readonly previewChars: number;
  private readonly channels?: ChannelHub;
  private readonly rateLimiter: RateLimiter;
  private readonly sweeper: NodeJS.Timeout;
  private readonly inFlight: InvocationTracker;
  /** `$disconnect`s are not cut short on shutdown. */
  private readonly disconnects: InvocationTracker;
  private closed = false;

  /** Creates an emulator; throws `TypeError` naming any invalid option. */
  static create(options: WebSocketApiEmulatorOptions): WebSocketApiEmulator {
    return new WebSocketApiEmulator(options);
  }

  private constructor(private readonly options: WebSocketApiEmulatorOptions) {
    validateRoutes(options.routes);
    this.routes = new Map(Object.entries(options.routes));
    this.select = compileRouteSelectionExpression(
      options.routeSelectionExpression ?? '$request.body.action',
    );
    this.limits = resolveLimits(options.limits);
    this.stage = options.stage ?? 'local';
    if (!STAGE.test(this.stage)) {
      throw new TypeError(
        `Invalid stage ${JSON.stringify(
          this.stage,
        )}: use 1-128 letters, digits, _ or -`,
      );
    }
    this.apiId = options.apiId ?? createApiId();
    const basePath = options.basePath ?? '';
    if (
      basePath !== '' &&
      (!basePath.startsWith('/') || /[?#]/.test(basePath))
    ) {
      throw new TypeError(
        `Invalid basePath ${JSON.stringify(
          basePath,
        )}: must start with / and hold no query`,
      );
    }
    this.basePath = basePath.replace(/\/+$/, '');
    this.frames = new RingBuffer(options.recentFrames ?? 200);
    this.previewChars = options.framePreviewChars ?? 256;
    if (options.channels?.enabled) {
      this.channels = new ChannelHub(
        options.channels.maxChannelsPerConnection ?? 100,
      );
    }
    this.rateLimiter = new RateLimiter(this.limits.connectionsPerSecond);
    this.inFlight = createInvocationTracker(this.limits.integrationTimeoutMs);
    this.disconnects = createInvocationTracker(
      this.limits.integrationTimeoutMs,
    );
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: this.limits.maxMessageBytes,
      handleProtocols: (_offered, req) =>
        this.selectedProtocols.get(req) ?? false,
    });
    this.sweeper = setInterval(() => this.sweep(), this.limits.sweepIntervalMs);
    this.sweeper.unref();
  }

  // ---------------------------------------------------------------- mounting

  /**
   * The path after the base path, or undefined when `url` is not under it.
   */
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
    this.upgrade(req, socket, head).catch(error => {
      this.report({
        type: 'error',
        message: `Upgrade failed: ${String(error)}`,
      });
      this.pendingUpgrades.delete(socket);
      refuseUpgrade(socket, 500);
    });
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

  private refuse(
    req: IncomingMessage,
    socket: Duplex,
    statusCode: number,
    reason: string,
    options?: Parameters<typeof refuseUpgrade>[2],
  ): void {
    this.report({
      type: 'connect-refused',
      statusCode,
      reason,
      sourceIp: sourceIpOf(req),
    });
    refuseUpgrade(socket, statusCode, options);
  }

  private async upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    if (this.closed) {
      this.refuse(req, socket, 503, 'emulator closed');
      return;
    }
    const invalid = validateUpgrade(req);
    if (invalid) {
      this.refuse(req, socket, invalid.statusCode, invalid.message, {
        body: JSON.stringify({ message: invalid.message }),
        headers: invalid.headers,
      });
      return;
    }
    const sub = this.subPath(req.url);
    if (
      sub === undefined ||
      !['', '/', `/${this.stage}`, `/${this.stage}/`].includes(sub)
    ) {
      this.refuse(req, socket, 403, 'unknown path');
      return;
    }
    if (!this.rateLimiter.tryTake()) {
      this.refuse(req, socket, 429, 'connection rate exceeded', {
        body: JSON.stringify({ message: 'Limit Exceeded' }),
      });
      return;
    }

    this.pendingUpgrades.add(socket);
    let aborted = false;
    const onGone = () => {
      aborted = true;
    };
    socket.on('close', onGone);
    socket.on('error', onGone);
    const cleanup = () => {
      this.pendingUpgrades.delete(socket);
      socket.removeListener('close', onGone);
      socket.removeListener('error', onGone);
    };

    let authorization: UpgradeAuthorization = { allow: true };
    if (this.options.authorizeUpgrade) {
      authorization = await this.options.authorizeUpgrade(req);
    }
    if (!authorization.allow) {
      cleanup();
      const status = authorization.statusCode ?? 401;
      this.refuse(
        req,
        socket,
        status,
        authorization.message ?? 'unauthorized',
        {
          body: authorization.message
            ? JSON.stringify({ message: authorization.message })
            : undefined,
        },
      );
      return;
    }

    const consumed = new Set(authorization.consumedProtocols ?? []);
    const omit = new Set(
      (authorization.consumedHeaders ?? []).map(h => h.toLowerCase()),
    );
    const offered = offeredProtocols(req);
    const remaining = offered.filter(p => !consumed.has(p));
    if (consumed.size > 0) {
      omit.add('sec-websocket-protocol');
    }
    const collected = collectHeaders(req.rawHeaders, omit);
    if (consumed.size > 0 && remaining.length > 0) {
      collected.headers['Sec-WebSocket-Protocol'] = remaining.join(', ');
      collected.multiValueHeaders['Sec-WebSocket-Protocol'] = [
        remaining.join(', '),
      ];
    }
    const url = req.url ?? '/';
    const queryIndex = url.indexOf('?');
    const sourceIp = sourceIpOf(req);
    const connectedAt = Date.now();
    addGatewayHeaders(collected, {
      sourceIp,
      port: req.socket.localPort,
      encrypted: Boolean((req.socket as { encrypted?: boolean }).encrypted),
      now: connectedAt,
    });
    const facts: ConnectionFacts = {
      connectionId: this.options.createConnectionId?.() ?? createAwsStyleId(),
      connectedAt,
      sourceIp,
      userAgent: req.headers['user-agent'],
      stage: this.stage,
      domainName: this.options.domainName ?? req.headers.host ?? 'localhost',
      apiId: this.apiId,
      ...collected,
      ...collectQuery(queryIndex >= 0 ? url.slice(queryIndex) : ''),
    };

    let subprotocol: string | undefined;
    const connectRoute = this.routes.get('$connect');
    if (connectRoute) {
      let result;
      try {
        result = await invokeWithTimeout(
          connectRoute.integration,
          connectEvent(facts),
          this.limits.integrationTimeoutMs,
          this.inFlight,
        );
      } catch (error) {
        cleanup();
        const timeout = error instanceof IntegrationTimeoutError;
        this.report({
          type: 'error',
          message: `$connect failed: ${String(error)}`,
        });
        this.refuse(
          req,
          socket,
          timeout ? 504 : 500,
          timeout ? '$connect timed out' : '$connect failed',
          {
            body: JSON.stringify({
              message: timeout
                ? 'Endpoint request timed out'
                : 'Internal server error',
            }),
          },
        );
        return;
      }
      if (!isSuccess(result)) {
        cleanup();
        this.refuse(req, socket, result!.statusCode!, '$connect refused', {
          body: result?.body ?? JSON.stringify({ message: 'Forbidden' }),
          contentType: proxyHeader(result, 'content-type'),
        });
        return;
      }
      const chosen = proxyHeader(result, 'Sec-WebSocket-Protocol')?.trim();
      if (chosen && !consumed.has(chosen)) {
        subprotocol = chosen;
      }
    }
    cleanup();
    if (aborted || socket.destroyed) {
      return;
    }
    if (this.closed) {
      this.refuse(req, socket, 503, 'emulator closed');
      return;
    }
    if (subprotocol) {
      this.selectedProtocols.set(req, subprotocol);
    }
    // Only what $disconnect needs is kept once connected.
    facts.headers = {
      Host: facts.headers.Host ?? facts.headers.host ?? facts.domainName,
    };
    facts.multiValueHeaders = {};
    delete facts.queryStringParameters;
    delete facts.multiValueQueryStringParameters;
    this.wss.handleUpgrade(req, socket, head, ws => this.accept(ws, facts));
  }

  // ------------------------------------------------------------ connections

  private accept(ws: WebSocket, facts: ConnectionFacts): void {
    const connection = new Connection(
      facts,
      ws,
      this.limits.maxQueuedMessages,
      this.limits.maxBufferedBytes,
      (c, m) => this.handleMessage(c, m),
    );
    this.connections.set(facts.connectionId, connection);
    const detachGuard = attachFrameSizeGuard(
      (ws as unknown as { _socket: Duplex })._socket,
      this.limits.maxFrameBytes,
      (_length, messagesBefore) => {
        // Messages completed before the oversized frame are still handled;
        // the close waits until `ws` has delivered them.
        connection.acceptUpTo = messagesBefore;
        setImmediate(() => connection.close(1009, 'Message too big'));
      },
    );
    ws.on('message', (data, isBinary) => {
      connection.enqueue({
        data: data as Buffer,
        isBinary,
        receivedAt: Date.now(),
      });
    });
    ws.on('ping', () => {
      connection.lastActiveAt = Date.now();
    });
    ws.on('error', error => {
      const code = (error as { code?: string }).code;
      if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && !connection.closing) {
        connection.closing = true;
        connection.serverClose = { code: 1009, reason: 'Message too big' };
      }
    });
    ws.on('close', (code, reason) => {
      detachGuard();
      this.onClose(connection, code, reason.toString());
    });
    this.report({
      type: 'connect',
      connectionId: facts.connectionId,
      sourceIp: facts.sourceIp,
      subprotocol: ws.protocol || undefined,
    });
  }

  private onClose(connection: Connection, code: number, reason: string): void {
    connection.closing = true;
    this.connections.delete(connection.id);
    this.channels?.removeConnection(connection);
    const statusCode = connection.serverClose?.code ?? code;
    const why = disconnectReasonFor(
      statusCode,
      connection.serverClose?.reason ?? reason,
    );
    const done = this.runDisconnect(connection, statusCode, why);
    this.pendingDisconnects.add(done);
    void done.finally(() => this.pendingDisconnects.delete(done));
  }

  private async runDisconnect(
    connection: Connection,
    statusCode: number,
    reason: string,
  ): Promise<void> {
    await connection.whenIdle();
    const route = this.routes.get('$disconnect');
    if (route) {
      try {
        await invokeWithTimeout(
          route.integration,
          disconnectEvent(connection.facts, statusCode, reason),
          this.limits.integrationTimeoutMs,
          this.disconnects,
        );
      } catch (error) {
        this.report({
          type: 'error',
          connectionId: connection.id,
          message: `$disconnect failed: ${String(error)}`,
        });
      }
    }
    this.report({
      type: 'disconnect',
      connectionId: connection.id,
      statusCode,
      reason,
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections.values()) {
      if (
        now - connection.lastActiveAt > this.limits.idleTimeoutMs ||
        now - connection.facts.connectedAt > this.limits.maxConnectionDurationMs
      ) {
        connection.close(1001, 'Going away');
      }
    }
  }

  // --------------------------------------------------------------- messages

  private async handleMessage(
    connection: Connection,
    message: InboundMessage,
  ): Promise<void> {
    const { data, isBinary } = message;
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    let parsed: unknown;
    if (!isBinary) {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    if (
      this.channels &&
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.prototype.hasOwnProperty.call(parsed, '$channel')
    ) {
      this.record(connection.id, 'in', body, isBinary, data.length, '$channel');
      this.handleChannelFrame(connection, parsed as Record<string, unknown>);
      return;
    }
    let routeKey = parsed === undefined ? undefined : this.select(parsed);
    if (
      routeKey === undefined ||
      SPECIAL_ROUTES.has(routeKey) ||
      !this.routes.has(routeKey)
    ) {
      routeKey = this.routes.has('$default') ? '$default' : undefined;
    }
    this.record(
      connection.id,
      'in',
      body,
      isBinary,
      data.length,
      routeKey ?? 'none',
    );
    const requestId = createAwsStyleId();
    if (routeKey === undefined) {
      this.sendFrame(
        connection,
        JSON.stringify({
          message: 'Forbidden',
          connectionId: connection.id,
          requestId,
        }),
      );
      this.report({
        type: 'route',
        connectionId: connection.id,
        routeKey: 'none',
        outcome: 'forbidden',
        durationMs: 0,
      });
      return;
    }
    const route = this.routes.get(routeKey)!;
    const started = Date.now();
    const event = messageEvent(
      connection.facts,
      routeKey,
      body,
      isBinary,
      requestId,
      started,
    );
    try {
      const result = await invokeWithTimeout(
        route.integration,
        event,
        this.limits.integrationTimeoutMs,
        this.inFlight,
      );
      connection.lastActiveAt = Date.now();
      if (route.response && typeof result?.body === 'string') {
        if (result.isBase64Encoded) {
          this.sendFrame(connection, Buffer.from(result.body, 'base64'), true);
        } else {
          this.sendFrame(connection, result.body);
        }
      }
      if (this.options.onActivity) {
        this.report({
          type: 'route',
          connectionId: connection.id,
          routeKey,
          outcome: 'ok',
          durationMs: Date.now() - started,
        });
      }
    } catch (error) {
      const timeout = error instanceof IntegrationTimeoutError;
      this.sendFrame(
        connection,
        JSON.stringify({
          message: timeout
            ? 'Endpoint request timed out'
            : 'Internal server error',
          connectionId: connection.id,
          requestId,
        }),
      );
      this.report({
        type: 'route',
        connectionId: connection.id,
        routeKey,
        outcome: timeout ? 'timeout' : 'error',
        durationMs: Date.now() - started,
        error: String(error),
      });
    }
  }

  private handleChannelFrame(
    connection: Connection,
    frame: Record<string, unknown>,
  ): void {
    const problem = channelFrameProblem(frame);
    const name = frame.name as string;
    if (problem) {
      this.sendFrame(
        connection,
        JSON.stringify({ $channel: 'error', message: problem }),
      );
      return;
    }
    switch (frame.$channel) {
      case 'subscribe':
        if (!this.channels!.subscribe(connection, name)) {
          this.sendFrame(
            connection,
            JSON.stringify({
              $channel: 'error',
              name,
              message: 'Too many channels for this connection',
            }),
          );
          return;
        }
        this.sendFrame(
          connection,
          JSON.stringify({ $channel: 'subscribed', name }),
        );
        return;
      case 'unsubscribe':
        this.channels!.unsubscribe(connection, name);
        this.sendFrame(
          connection,
          JSON.stringify({ $channel: 'unsubscribed', name }),
        );
        return;
      default:
        this.publish(name, frame.data);
    }
  }

  private sendFrame(
    connection: Connection,
    data: string | Buffer,
    isBinary = false,
    size = typeof data === 'string' ? Buffer.byteLength(data) : data.length,
  ): boolean {
    const sent = connection.send(data, isBinary, size);
    if (sent) {
      this.record(
        connection.id,
        'out',
        typeof data === 'string'
          ? data
          : data.toString('base64', 0, this.previewChars),
        isBinary,
        size,
      );
    }
    return sent;
  }

  private record(
    connectionId: string,
    direction: 'in' | 'out',
    text: string,
    isBinary: boolean,
    size: number,
    routeKey?: string,
  ): void {
    if (this.frames.capacity === 0 && !this.options.onActivity) {
      return;
    }
    const frame: FrameRecord = {
      at: Date.now(),
      connectionId,
      direction,
      isBinary,
      size,
      preview:
        text.length > this.previewChars
          ? text.slice(0, this.previewChars)
          : text,
    };
    if (routeKey !== undefined) {
      frame.routeKey = routeKey;
    }
    this.frames.push(frame);
    if (this.options.onActivity) {
      this.report({ type: 'frame', frame });
    }
  }

  private report(activity: EmulatorActivity): void {
    if (this.options.onActivity) {
      try {
        this.options.onActivity(activity);
      } catch {
        // Logging must never break the emulator.
      }
    }
  }

  // ------------------------------------------------- management & inspector

  /**
   * Sends data to a connection, as `POST @connections/{id}` does: a text
   * frame when the data is valid UTF-8, a binary frame otherwise.
   * Connections held elsewhere go through `remoteConnections`.
   * @throws GoneException, PayloadTooLargeException, LimitExceededException
   */
  async postToConnection(
    connectionId: string,
    data: string | Buffer,
    options: { localOnly?: boolean } = {},
  ): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length > this.limits.maxMessageBytes) {
      throw new PayloadTooLargeException(
        bytes.length,
        this.limits.maxMessageBytes,
      );
    }
    const connection = this.connections.get(connectionId);
    if (!connection || connection.closing) {
      if (!connection && !options.localOnly && this.options.remoteConnections) {
        await this.options.remoteConnections.post(connectionId, bytes);
        return;
      }
      throw new GoneException(connectionId);
    }
    if (!connection.canSend(bytes.length)) {
      connection.droppedFrames++;
      throw new LimitExceededException(connectionId);
    }
    const isText = isUtf8(bytes);
    this.sendFrame(
      connection,
      isText ? bytes.toString('utf8') : bytes,
      !isText,
      bytes.length,
    );
    connection.lastActiveAt = Date.now();
  }

  /**
   * Describes a connection as `GET @connections/{id}` does.
   * @throws GoneException
   */
  async getConnection(
    connectionId: string,
    options: { localOnly?: boolean } = {},
  ): Promise<ConnectionInfo> {
    const connection = this.connections.get(connectionId);
    if (!connection || connection.closing) {
      if (!connection && !options.localOnly && this.options.remoteConnections) {
        return this.options.remoteConnections.get(connectionId);
      }
      throw new GoneException(connectionId);
    }
    return toInfo(connection);
  }

  /**
   * Closes a connection (code 1000) as `DELETE @connections/{id}` does.
   * @throws GoneException
   */
  async deleteConnection(
    connectionId: string,
    options: { localOnly?: boolean } = {},
  ): Promise<void> {
    const connection = this.connections.get(connectionId);
    if (!connection || connection.closing) {
      if (!connection && !options.localOnly && this.options.remoteConnections) {
        await this.options.remoteConnections.delete(connectionId);
        return;
      }
      throw new GoneException(connectionId);
    }
    connection.close(1000, '');
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
    return [...this.connections.values()]
      .filter(c => !c.closing)
      .map(c => ({
        connectionId: c.id,
        ...toInfo(c),
        ...(c.ws.protocol && { subprotocol: c.ws.protocol }),
        bufferedBytes: c.bufferedBytes,
        droppedFrames: c.droppedFrames,
        channels: [...c.channels],
      }));
  }

  /** Whether this emulator holds the connection. */
  hasConnection(connectionId: string): boolean {
    return this.connections.has(connectionId);
  }

  /** The most recent frames, oldest first (at most `limit`). */
  recentFrames(limit?: number): FrameRecord[] {
    return this.frames.toArray(limit);
  }

  /** Counts for monitoring. */
  stats(): {
    connections: number;
    pendingUpgrades: number;
    pendingDisconnects: number;
  } {
    return {
      connections: this.connections.size,
      pendingUpgrades: this.pendingUpgrades.size,
      pendingDisconnects: this.pendingDisconnects.size,
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
    clearInterval(this.sweeper);
    for (const connection of this.connections.values()) {
      connection.close(1001, 'Going away');
    }
    const drained = Promise.all(
      [...this.connections.values()].map(
        c =>
          new Promise<void>(resolve => {
            if (c.ws.readyState === WebSocket.CLOSED) {
              resolve();
            } else {
              c.ws.once('close', () => resolve());
            }
          }),
      ),
    );
    await drained;
    this.inFlight.failAll(new IntegrationError('Emulator closed'));
    await Promise.all([...this.pendingDisconnects]);
    for (const route of this.routes.values()) {
      route.integration.close?.();
    }
    this.wss.close();
  }
}

function parseChannelData(data: Buffer): unknown {
  const text = data.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
