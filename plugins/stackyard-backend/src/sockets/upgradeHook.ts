import { IncomingMessage, STATUS_CODES, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';

/** An `http.Server` or `https.Server`. */
export type UpgradeServer = Pick<
  import('node:events').EventEmitter,
  'on' | 'emit' | 'listenerCount'
>;

function isServer(value: unknown): value is UpgradeServer {
  const candidate = value as Partial<UpgradeServer> | undefined;
  return (
    typeof candidate?.on === 'function' &&
    typeof candidate?.emit === 'function' &&
    typeof candidate?.listenerCount === 'function'
  );
}

/** Something that completes (or refuses) a WebSocket upgrade. */
export type UpgradeTarget = {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
};

/** Options of {@link createUpgradeHook}. */
export type UpgradeHookOptions = {
  /** Path under which environments' APIs live, e.g. `/api/stackyard/sockets`. */
  pathPrefix: string;
  /** The API of an environment; undefined when it has none. */
  resolve(environmentId: string): Promise<UpgradeTarget | undefined>;
  /** Told about unexpected failures (the upgrade is answered 500). */
  onError(error: unknown): void;
};

/** Answers `upgrade` events: true when the request was ours (and is handled). */
export type UpgradeHook = {
  readonly pathPrefix: string;
  (req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
};

const ENVIRONMENT_PATH = /^\/([0-9a-f-]{36})(\/[^/]*)?\/?$/i;

/** Answers an upgrade with a complete HTTP response and closes the socket. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  socket.once('error', () => {});
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(
        body,
      )}\r\n\r\n${body}`,
  );
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}

/**
 * The upgrade hook of hosted WebSocket APIs. Requests outside `pathPrefix`
 * are left alone (other listeners, e.g. signals, answer theirs); every
 * request inside it gets an answer: the environment's API takes it, or it is
 * refused with 404 (no such API) or 500.
 */
export function createUpgradeHook(options: UpgradeHookOptions): UpgradeHook {
  const prefix = options.pathPrefix.replace(/\/+$/, '');
  const hook = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(req);
    if (!path.startsWith(`${prefix}/`)) {
      return false;
    }
    const match = ENVIRONMENT_PATH.exec(path.slice(prefix.length));
    if (!match) {
      refuse(socket, 404, 'Not Found: use <prefix>/<environment id>/<stage>');
      return true;
    }
    options.resolve(match[1].toLowerCase()).then(
      target => {
        if (!target) {
          refuse(
            socket,
            404,
            'Not Found: no WebSocket API for this environment',
          );
          return;
        }
        target.handleUpgrade(req, socket, head);
      },
      error => {
        options.onError(error);
        refuse(socket, 500, 'Internal Server Error');
      },
    );
    return true;
  };
  return Object.assign(hook, { pathPrefix: prefix });
}

/**
 * Hands an upgrade nobody answers to the server's request listeners, as
 * Node.js does when no `upgrade` listener exists; the response closes the
 * connection. Keeps listeners that discover the server from their first
 * upgrade request (as the signals backend does) working.
 */
function passToRequestListeners(
  server: UpgradeServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  if (head.length > 0) socket.unshift(head);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.once('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  server.emit('request', req, res);
}

const attached = new WeakSet<UpgradeServer>();

/** Adds the hook to a server's `upgrade` listeners, once per server. */
export function attachUpgradeHook(
  server: UpgradeServer,
  hook: UpgradeHook,
): void {
  if (attached.has(server)) return;
  attached.add(server);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (hook(req, socket, head)) return;
    if (server.listenerCount('upgrade') === 1) {
      passToRequestListeners(server, req, socket, head);
    }
  });
}

/**
 * Express middleware that attaches the hook to the server of the first
 * request it sees (a plugin is not given the server). An upgrade that still
 * arrives here as a plain request came before the hook was attached; it is
 * answered 503 with `Retry-After`, and the retry is upgraded.
 */
export function attachOnRequest(hook: UpgradeHook): RequestHandler {
  return (req, res, next) => {
    const server = (req.socket as Socket & { server?: unknown }).server;
    if (isServer(server)) {
      attachUpgradeHook(server, hook);
    }
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (
      upgrade === 'websocket' &&
      req.originalUrl.split('?')[0].startsWith(`${hook.pathPrefix}/`)
    ) {
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ message: 'WebSocket endpoint starting; retry' });
      return;
    }
    next();
  };
}
