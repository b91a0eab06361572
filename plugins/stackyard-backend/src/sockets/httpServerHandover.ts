import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpgradeHook, UpgradeServer, attachUpgradeHook } from './upgradeHook';

/**
 * The part of `rootHttpRouterServiceFactory`'s `configure` context (from
 * `@backstage/backend-defaults/rootHttpRouter`) used here.
 */
export type HttpServerConfigureContext = {
  server: UpgradeServer;
  config: object;
  applyDefaults(): void;
};

// Keyed by the backend's root config service: every plugin of one backend
// gets that same instance, and backends in one process stay apart.
const servers = new WeakMap<object, UpgradeServer>();

/**
 * A `configure` for `rootHttpRouterServiceFactory` that hands the backend's
 * HTTP server to Stackyard's preview sockets, so their upgrade hook is
 * attached when the plugin starts instead of on the first request:
 *
 *   backend.add(rootHttpRouterServiceFactory({ configure: stackyardHttpServer() }));
 *
 * `configure` does the rest of the router's setup (default: Backstage's).
 * @public
 */
export function stackyardHttpServer<C extends HttpServerConfigureContext>(
  configure: (context: C) => void = context => context.applyDefaults(),
): (context: C) => void {
  return context => {
    servers.set(context.config, context.server);
    configure(context);
  };
}

/**
 * Attaches the preview sockets' upgrade hook to the server handed over by
 * {@link stackyardHttpServer} for this backend. Without it, returns
 * `'first-request'` after a warning: the router then attaches the hook on
 * the first request it serves, and upgrades before that are answered 503.
 */
export function attachToHandedOverServer(options: {
  rootConfig: object;
  hook: UpgradeHook;
  logger: LoggerService;
}): 'server' | 'first-request' {
  const server = servers.get(options.rootConfig);
  if (server) {
    attachUpgradeHook(server, options.hook);
    return 'server';
  }
  options.logger.warn(
    'Preview sockets: the HTTP server was not handed over, so WebSocket upgrades ' +
      'are refused with 503 until the first request to /api/stackyard. Add ' +
      '`backend.add(rootHttpRouterServiceFactory({ configure: stackyardHttpServer() }))` ' +
      'to the backend (see the plugin README).',
  );
  return 'first-request';
}
