import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ActivityLog } from '../activity/ActivityLog';
import { ConnectionFacts, sourceIpOf } from '../events';
import type { InvocationTracker } from '../integrations/InvocationTracker';
import type { EmulatorLimits } from '../limits';
import { RateLimiter } from '../RateLimiter';
import type { RouteDefinition, UpgradeAuthorization } from '../types';
import {
  ApiFacts,
  connectionFacts,
  keepForDisconnect,
} from './connectionFacts';
import { refuseUpgrade } from './refuseUpgrade';
import { runConnectRoute } from './runConnectRoute';
import { validateUpgrade } from './validateUpgrade';

/** What a {@link Handshake} needs from its emulator. */
export interface HandshakeOptions extends ApiFacts {
  readonly limits: EmulatorLimits;
  readonly connectRoute?: RouteDefinition;
  readonly authorizeUpgrade?: (
    req: IncomingMessage,
  ) => UpgradeAuthorization | Promise<UpgradeAuthorization>;
  /** True when `url` is one the API accepts upgrades at. */
  readonly acceptsPath: (url: string | undefined) => boolean;
  readonly isClosed: () => boolean;
  readonly inFlight: InvocationTracker;
  readonly log: ActivityLog;
  /** Takes over the open connection; `socket` is the one `ws` now reads. */
  readonly onOpen: (
    ws: WebSocket,
    socket: Duplex,
    facts: ConnectionFacts,
  ) => void;
}

/**
 * The opening handshake, in two steps as `ws` separates them:
 * {@link Handshake.handleUpgrade} checks the request, the path, the
 * connection rate, `authorizeUpgrade` and `$connect`, refusing with a
 * complete HTTP response at the first "no"; `completeUpgrade` then lets
 * `ws` (in `noServer` mode) finish the handshake.
 */
export class Handshake {
  private readonly pending = new Set<Duplex>();
  private readonly selectedProtocols = new WeakMap<IncomingMessage, string>();
  private readonly wss: WebSocketServer;
  private readonly rateLimiter: RateLimiter;

  constructor(private readonly options: HandshakeOptions) {
    this.rateLimiter = new RateLimiter(options.limits.connectionsPerSecond);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.limits.maxMessageBytes,
      handleProtocols: (_offered, req) =>
        this.selectedProtocols.get(req) ?? false,
    });
  }

  /** Upgrades waiting for `authorizeUpgrade` or `$connect`. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Serves an `upgrade` event; never throws (failures answer 500). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrade(req, socket, head).catch(error => {
      this.options.log.report({
        type: 'error',
        message: `Upgrade failed: ${String(error)}`,
      });
      this.pending.delete(socket);
      refuseUpgrade(socket, 500);
    });
  }

  /** Stops `ws`; later upgrades are refused by the closed check. */
  close(): void {
    this.wss.close();
  }

  private refuse(
    req: IncomingMessage,
    socket: Duplex,
    statusCode: number,
    reason: string,
    response?: Parameters<typeof refuseUpgrade>[2],
  ): void {
    this.options.log.report({
      type: 'connect-refused',
      statusCode,
      reason,
      sourceIp: sourceIpOf(req),
    });
    refuseUpgrade(socket, statusCode, response);
  }

  private async upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    const { options } = this;
    if (options.isClosed()) {
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
    if (!options.acceptsPath(req.url)) {
      this.refuse(req, socket, 403, 'unknown path');
      return;
    }
    if (!this.rateLimiter.tryTake()) {
      this.refuse(req, socket, 429, 'connection rate exceeded', {
        body: JSON.stringify({ message: 'Limit Exceeded' }),
      });
      return;
    }

    // The client may go away while authorizeUpgrade or $connect run.
    this.pending.add(socket);
    let aborted = false;
    const onGone = () => {
      aborted = true;
    };
    socket.on('close', onGone);
    socket.on('error', onGone);
    const cleanup = () => {
      this.pending.delete(socket);
      socket.removeListener('close', onGone);
      socket.removeListener('error', onGone);
    };

    const authorization: UpgradeAuthorization = options.authorizeUpgrade
      ? await options.authorizeUpgrade(req)
      : { allow: true };
    if (!authorization.allow) {
      cleanup();
      this.refuse(
        req,
        socket,
        authorization.statusCode ?? 401,
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
    const facts = connectionFacts(
      req,
      options,
      consumed,
      authorization.consumedHeaders ?? [],
    );
    let subprotocol: string | undefined;
    if (options.connectRoute) {
      const outcome = await runConnectRoute(
        options.connectRoute,
        facts,
        consumed,
        options.limits.integrationTimeoutMs,
        options.inFlight,
      );
      if (!outcome.accept) {
        cleanup();
        if ('error' in outcome) {
          options.log.report({
            type: 'error',
            message: `$connect failed: ${String(outcome.error)}`,
          });
        }
        this.refuse(
          req,
          socket,
          outcome.statusCode,
          outcome.reason,
          outcome.response,
        );
        return;
      }
      subprotocol = outcome.subprotocol;
    }
    cleanup();
    if (aborted || socket.destroyed) {
      return;
    }
    if (options.isClosed()) {
      this.refuse(req, socket, 503, 'emulator closed');
      return;
    }
    this.completeUpgrade(req, socket, head, facts, subprotocol);
  }

  /** Lets `ws` answer 101 (with the chosen subprotocol) and hands the connection over. */
  private completeUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    facts: ConnectionFacts,
    subprotocol: string | undefined,
  ): void {
    if (subprotocol) {
      this.selectedProtocols.set(req, subprotocol);
    }
    keepForDisconnect(facts);
    this.wss.handleUpgrade(req, socket, head, ws =>
      this.options.onOpen(ws, socket, facts),
    );
  }
}
