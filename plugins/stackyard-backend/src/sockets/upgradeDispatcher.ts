import type { LoggerService } from '@backstage/backend-plugin-api';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { refuseUpgrade } from './refuseUpgrade';

/** Completes (or refuses) the WebSocket upgrades of one path. */
export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) => unknown;

/** An `http.Server` or `https.Server` (only its events are needed). */
export type UpgradeServer = EventEmitter & { closeAllConnections?(): void };

/** Options of {@link UpgradeDispatcher.attach}. */
export type UpgradeDispatcherOptions = {
  /**
   * Paths served by `upgrade` listeners that their plugin adds to the
   * server when it sees its first upgrade as a plain request, as Backstage's
   * signals backend does.
   * @default ['/api/signals']
   */
  adoptedPaths?: string[];
  /**
   * How long a handler may hold an upgrade without writing an answer before
   * the dispatcher answers it 503 and destroys the socket.
   * @default 10_000
   */
  handshakeTimeoutMs?: number;
  /**
   * How long {@link UpgradeDispatcher.close} waits for connections to close
   * after telling upgraded sockets the server is going away; every one still
   * open then is destroyed.
   * @default 4_000
   */
  closeTimeoutMs?: number;
  /**
   * Whether {@link UpgradeDispatcher.close} also waits for, and then
   * destroys, the server's plain HTTP connections (e.g. a client that sent
   * half a request), so that the server's `close()` completes in bounded
   * time. For the owner of the server's shutdown.
   * @default false
   */
  includeHttpConnections?: boolean;
  logger?: Pick<LoggerService, 'warn' | 'error'>;
};

type Route = { path: string; handler?: UpgradeHandler };

type Upgrade = { req: IncomingMessage; socket: Duplex; head: Buffer };

/** An adopted path's upgrade being passed through the request listeners. */
type Adoption = Upgrade & {
  path: string;
  res: ServerResponse;
  url: string | undefined;
  waiting: Upgrade[];
  done: boolean;
};

const ADD_METHODS = [
  'on',
  'addListener',
  'prependListener',
  'once',
  'prependOnceListener',
] as const;
const REMOVE_METHODS = ['off', 'removeListener'] as const;

/** Close frame 1001 Going Away, unmasked as a server sends it. */
const GOING_AWAY_FRAME = Buffer.from([0x88, 0x02, 0x03, 0xe9]);

const dispatchers = new WeakMap<UpgradeServer, UpgradeDispatcher>();

const noop = () => {};

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}

function trimPath(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/** True once something was written to the socket, or it is closing. */
function answered(socket: Duplex): boolean {
  return (
    socket.destroyed ||
    socket.writableEnded ||
    ((socket as Partial<Socket>).bytesWritten ?? 0) > 0
  );
}

function closedSocket(socket: Duplex): Promise<void> {
  return new Promise(resolve => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

/** The `ws` WebSocket a handler completed on the socket, if any. */
function webSocketOn(
  socket: Duplex,
):
  | { readyState: number; close(code: number, reason: string): void }
  | undefined {
  const key = Object.getOwnPropertySymbols(socket).find(
    symbol => symbol.description === 'websocket',
  );
  const ws = key && (socket as unknown as Record<symbol, unknown>)[key];
  return ws && typeof (ws as { close?: unknown }).close === 'function'
    ? (ws as ReturnType<typeof webSocketOn>)
    : undefined;
}

/**
 * The one owner of an HTTP server's `upgrade` event.
 *
 * Node.js hands an upgrade to every `upgrade` listener and expects one of
 * them to answer; with several plugins each listening for its own path,
 * an upgrade to any other path is answered by nobody and its socket leaks
 * (and keeps the server's `close()` from ever completing). The dispatcher is
 * the server's only `upgrade` listener and routes by path:
 *
 * - a path registered with {@link UpgradeDispatcher.route} (and everything
 *   under it) goes to its handler;
 * - an adopted path (`adoptedPaths`) goes to the `upgrade` listener its
 *   plugin adds to the server. Backstage's signals backend only adds that
 *   listener when it sees an upgrade as a plain request, and never answers
 *   that request. So the first upgrade to an adopted path is passed through
 *   the request listeners, the listener added meanwhile is adopted for the
 *   path (the dispatcher takes over `server.on('upgrade')`: listeners are
 *   kept by it, never added to the server), and that same upgrade is then
 *   handed to it: the first attempt succeeds;
 * - every other upgrade is answered 404 with a complete HTTP response and
 *   its socket destroyed.
 *
 * A handler that writes nothing within `handshakeTimeoutMs` gets its
 * upgrade answered 503. {@link UpgradeDispatcher.close} ends every upgraded
 * socket with 1001 Going Away and destroys whatever is left after
 * `closeTimeoutMs`, so the server's own `close()` completes.
 */
export class UpgradeDispatcher {
  /** The server's dispatcher, created (and the server taken over) on first use. */
  static attach(
    server: UpgradeServer,
    options: UpgradeDispatcherOptions = {},
  ): UpgradeDispatcher {
    let dispatcher = dispatchers.get(server);
    if (!dispatcher) {
      dispatcher = new UpgradeDispatcher(server, options);
      dispatchers.set(server, dispatcher);
    }
    return dispatcher;
  }

  /** The server's dispatcher, if one was attached. */
  static of(server: UpgradeServer): UpgradeDispatcher | undefined {
    return dispatchers.get(server);
  }

  private readonly routes: Route[];
  /** Listeners added outside an adoption; serve adopted paths with none of their own. */
  private readonly unattributed: UpgradeHandler[] = [];
  /** Sockets of upgrades, until they close. */
  private readonly upgrades = new Set<Duplex>();
  /** Every connection of the server since the dispatcher was attached. */
  private readonly connections = new Set<Duplex>();
  private adoption?: Adoption;
  private closing?: Promise<void>;
  private readonly handshakeTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly includeHttpConnections: boolean;
  private readonly logger?: UpgradeDispatcherOptions['logger'];

  private constructor(
    private readonly server: UpgradeServer,
    options: UpgradeDispatcherOptions,
  ) {
    this.routes = (options.adoptedPaths ?? ['/api/signals']).map(path => ({
      path: trimPath(path),
    }));
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 4_000;
    this.includeHttpConnections = options.includeHttpConnections ?? false;
    this.logger = options.logger;
    this.takeOver();
  }

  /** Sends upgrades to `path` and every path under it to `handler`. */
  route(path: string, handler: UpgradeHandler): void {
    const trimmed = trimPath(path);
    const existing = this.routes.find(r => r.path === trimmed);
    if (existing?.handler && existing.handler !== handler) {
      throw new Error(`Upgrades to ${trimmed} already have a handler`);
    }
    if (existing) existing.handler = handler;
    else this.routes.push({ path: trimmed, handler });
  }

  /**
   * Refuses new upgrades (503), ends upgraded sockets with 1001 Going Away
   * and waits up to `closeTimeoutMs` for them (and, with
   * `includeHttpConnections`, the server's other connections) to close;
   * then destroys every one left. Resolves once they are all closed.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private takeOver(): void {
    const server = this.server;
    const add = server.on;
    for (const listener of server.listeners('upgrade')) {
      server.removeListener('upgrade', listener as UpgradeHandler);
      this.adopt(listener as UpgradeHandler);
    }
    const intercept =
      (original: UpgradeServer['on'], take: (l: UpgradeHandler) => void) =>
      (event: string | symbol, listener: (...args: any[]) => void) => {
        if (event !== 'upgrade') return original.call(server, event, listener);
        take(listener as UpgradeHandler);
        return server;
      };
    for (const method of ADD_METHODS) {
      server[method] = intercept(server[method], l => this.adopt(l));
    }
    for (const method of REMOVE_METHODS) {
      server[method] = intercept(server[method], l => this.release(l));
    }
    add.call(server, 'upgrade', this.dispatch);
    if (!this.includeHttpConnections) return;
    add.call(server, 'connection', (socket: Duplex) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  /** Takes a listener someone added to the server's `upgrade` event. */
  private adopt(listener: UpgradeHandler): void {
    const adoption = this.adoption;
    if (adoption && !adoption.done) {
      const route = this.routes.find(r => r.path === adoption.path);
      if (route && !route.handler) {
        route.handler = listener;
        this.finishAdoption(adoption, listener);
        return;
      }
    }
    this.unattributed.push(listener);
    this.logger?.warn(
      'An upgrade listener was added to the HTTP server outside an upgrade ' +
        'to an adopted path; it only receives upgrades to adopted paths that ' +
        'have no listener of their own',
    );
  }

  private release(listener: UpgradeHandler): void {
    for (const route of this.routes) {
      if (route.handler === listener) route.handler = undefined;
    }
    const index = this.unattributed.indexOf(listener);
    if (index >= 0) this.unattributed.splice(index, 1);
  }

  private readonly dispatch = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void => {
    this.upgrades.add(socket);
    socket.on('error', noop);
    socket.once('close', () => this.upgrades.delete(socket));
    if (this.closing) {
      refuseUpgrade(socket, 503, 'Service Unavailable: server shutting down');
      return;
    }
    const path = pathOf(req);
    const route = this.routes
      .filter(r => path === r.path || path.startsWith(`${r.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!route) {
      refuseUpgrade(socket, 404, 'Not Found: no WebSocket endpoint here');
      return;
    }
    const deadline = setTimeout(() => {
      if (answered(socket)) return;
      this.logger?.warn(
        `Upgrade to ${path} was not answered within ${this.handshakeTimeoutMs} ms`,
      );
      refuseUpgrade(socket, 503, 'Service Unavailable: upgrade not answered');
    }, this.handshakeTimeoutMs);
    deadline.unref?.();
    socket.once('close', () => clearTimeout(deadline));
    this.deliver(route, { req, socket, head });
  };

  private deliver(route: Route, upgrade: Upgrade): void {
    if (route.handler) {
      this.invoke(route.handler, upgrade);
    } else if (this.unattributed.length > 0) {
      this.unattributed.forEach(listener => this.invoke(listener, upgrade));
    } else if (this.adoption) {
      this.adoption.waiting.push(upgrade);
    } else {
      this.startAdoption(route.path, upgrade);
    }
  }

  private invoke(handler: UpgradeHandler, { req, socket, head }: Upgrade) {
    if (answered(socket)) return;
    const fail = (error: unknown) => {
      this.logger?.error(`Upgrade to ${pathOf(req)} failed: ${error}`);
      if (!answered(socket)) {
        refuseUpgrade(socket, 500, 'Internal Server Error');
      }
    };
    try {
      const result = handler.call(this.server, req, socket, head);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * Passes the upgrade through the server's request listeners, as Node.js
   * does when a server has no `upgrade` listener, until either a listener
   * is added (adopted for the path, and handed this upgrade) or the request
   * is answered (e.g. 401 or 404: the answer closes the socket).
   */
  private startAdoption(path: string, upgrade: Upgrade): void {
    const { req, socket } = upgrade;
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    const adoption: Adoption = {
      ...upgrade,
      path,
      res,
      url: req.url,
      waiting: [],
      done: false,
    };
    this.adoption = adoption;
    res.once('finish', () => {
      if (adoption.done) return;
      res.detachSocket(socket as Socket);
      socket.once('finish', () => socket.destroy());
      socket.end();
      this.endAdoption(adoption);
    });
    const deadline = setTimeout(
      () => this.endAdoption(adoption),
      this.handshakeTimeoutMs,
    );
    deadline.unref?.();
    this.server.emit('request', req, res);
  }

  private finishAdoption(adoption: Adoption, listener: UpgradeHandler) {
    adoption.res.detachSocket(adoption.socket as Socket);
    // Express rewrote the url relative to the router it reached.
    adoption.req.url = adoption.url;
    this.endAdoption(adoption);
    // Not from inside the listener's own `server.on` call.
    process.nextTick(() => this.invoke(listener, adoption));
  }

  private endAdoption(adoption: Adoption): void {
    if (adoption.done) return;
    adoption.done = true;
    this.adoption = undefined;
    for (const upgrade of adoption.waiting) {
      const route = this.routes.find(r => r.path === adoption.path);
      if (route) this.deliver(route, upgrade);
    }
  }

  private async shutDown(): Promise<void> {
    for (const socket of this.upgrades) this.goAway(socket);
    const open = () => [
      ...new Set([
        ...this.upgrades,
        ...(this.includeHttpConnections ? this.connections : []),
      ]),
    ];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open().map(closedSocket)),
      new Promise(resolve => {
        timer = setTimeout(resolve, this.closeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const left = open();
    left.forEach(socket => socket.destroy());
    if (this.includeHttpConnections && left.length > 0) {
      // Connections made before the dispatcher was attached.
      this.server.closeAllConnections?.();
    }
    await Promise.all(left.map(closedSocket));
  }

  private goAway(socket: Duplex): void {
    if (socket.destroyed || socket.writableEnded) return;
    if (!answered(socket)) {
      refuseUpgrade(socket, 503, 'Service Unavailable: server shutting down');
      return;
    }
    const ws = webSocketOn(socket);
    if (ws) {
      // `ws` sends the close frame and ends the socket when the client answers.
      if (ws.readyState === 1) ws.close(1001, 'Server shutting down');
    } else {
      socket.end(GOING_AWAY_FRAME);
    }
  }
}
