import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { refuseUpgrade } from './refuseUpgrade';
import { isUpgradePath, parseSocketPath } from './socketPath';
import {
  UpgradeDispatcher,
  UpgradeHandler,
  UpgradeServer,
} from './upgradeDispatcher';

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

/** The upgrade handler of hosted WebSocket APIs, routed at `pathPrefix`. */
export type UpgradeHook = UpgradeHandler & { readonly pathPrefix: string };

function isServer(value: unknown): value is UpgradeServer {
  const candidate = value as Partial<UpgradeServer> | undefined;
  return (
    typeof candidate?.on === 'function' &&
    typeof candidate?.emit === 'function' &&
    typeof candidate?.listeners === 'function'
  );
}

/**
 * The upgrade handler of hosted WebSocket APIs. Every upgrade it is given
 * gets an answer: the environment's API takes it, or it is refused with 404
 * (not `<prefix>/<environment id>/<stage>` by `parseSocketPath`'s rule, no
 * such API) or 500.
 */
export function createUpgradeHook(options: UpgradeHookOptions): UpgradeHook {
  const prefix = options.pathPrefix.replace(/\/+$/, '');
  const hook = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const parsed = path.startsWith(`${prefix}/`)
      ? parseSocketPath(path.slice(prefix.length))
      : undefined;
    if (!parsed || !isUpgradePath(parsed)) {
      refuseUpgrade(
        socket,
        404,
        `Not Found: use ${prefix}/<environment id>/<stage>`,
      );
      return;
    }
    options.resolve(parsed.environmentId).then(
      target => {
        if (!target) {
          refuseUpgrade(
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
        refuseUpgrade(socket, 500, 'Internal Server Error');
      },
    );
  };
  return Object.assign(hook, { pathPrefix: prefix });
}

/** Dispatchers that {@link attachOnRequest} attached for a hook. */
const attachedOnRequest = new WeakMap<UpgradeHook, Set<UpgradeDispatcher>>();

/**
 * Express middleware that routes the hook on the server of the first
 * request it sees, attaching the server's {@link UpgradeDispatcher} if it
 * has none (a plugin is not given the server; see `stackyardHttpServer`).
 * An upgrade that still arrives here as a plain request came before that;
 * it is answered 503 with `Retry-After`, and the retry is upgraded.
 */
export function attachOnRequest(hook: UpgradeHook): RequestHandler {
  return (req, res, next) => {
    const server = (req.socket as Socket & { server?: unknown }).server;
    if (isServer(server)) {
      let dispatcher = UpgradeDispatcher.of(server);
      if (!dispatcher) {
        dispatcher = UpgradeDispatcher.attach(server);
        const created = attachedOnRequest.get(hook) ?? new Set();
        attachedOnRequest.set(hook, created.add(dispatcher));
      }
      dispatcher.route(hook.pathPrefix, hook);
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

/** Closes the dispatchers {@link attachOnRequest} attached for the hook. */
export async function closeAttachedOnRequest(hook: UpgradeHook) {
  const created = attachedOnRequest.get(hook);
  attachedOnRequest.delete(hook);
  await Promise.all([...(created ?? [])].map(d => d.close()));
}
