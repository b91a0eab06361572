import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  UpgradeDispatcher,
  UpgradeDispatcherOptions,
  UpgradeServer,
} from './upgradeDispatcher';
import type { UpgradeHook } from './upgradeHook';

/**
 * The part of `rootHttpRouterServiceFactory`'s `configure` context (from
 * `@backstage/backend-defaults/rootHttpRouter`) used here.
 * @public
 */
export type HttpServerConfigureContext = {
  server: UpgradeServer;
  config: object;
  logger: Pick<LoggerService, 'warn' | 'error'>;
  lifecycle: { addShutdownHook(hook: () => void | Promise<void>): void };
  applyDefaults(): void;
};

/**
 * Options of {@link stackyardHttpServer}.
 * @public
 */
export type StackyardHttpServerOptions = Pick<
  UpgradeDispatcherOptions,
  'adoptedPaths' | 'handshakeTimeoutMs' | 'closeTimeoutMs'
>;

// Keyed by the backend's root config service: every plugin of one backend
// gets that same instance, and backends in one process stay apart.
const dispatchers = new WeakMap<object, UpgradeDispatcher>();

/**
 * A `configure` for `rootHttpRouterServiceFactory` that makes one
 * dispatcher the owner of the backend's HTTP `upgrade` event from startup
 * (Stackyard's preview sockets are routed on it when the plugin starts;
 * signals' listener is adopted on its first upgrade; every other upgrade is
 * answered 404) and closes upgraded sockets within a bounded time when the
 * backend stops:
 *
 *   backend.add(rootHttpRouterServiceFactory({ configure: stackyardHttpServer() }));
 *
 * `configure` does the rest of the router's setup (default: Backstage's).
 * @public
 */
export function stackyardHttpServer<C extends HttpServerConfigureContext>(
  configure: (context: C) => void = context => context.applyDefaults(),
  options: StackyardHttpServerOptions = {},
): (context: C) => void {
  return context => {
    const dispatcher = UpgradeDispatcher.attach(context.server, {
      ...options,
      includeHttpConnections: true,
      logger: context.logger,
    });
    // Runs beside the server's own stop, which cannot complete while
    // upgraded sockets or half-sent requests stay open.
    context.lifecycle.addShutdownHook(() => dispatcher.close());
    dispatchers.set(context.config, dispatcher);
    configure(context);
  };
}

/**
 * Routes the preview sockets' upgrade hook on the dispatcher handed over by
 * {@link stackyardHttpServer} for this backend. Without it, returns
 * `'first-request'` after a warning: the router then attaches a dispatcher
 * on the first request it serves, and upgrades before that are answered 503.
 */
export function attachToHandedOverServer(options: {
  rootConfig: object;
  hook: UpgradeHook;
  logger: LoggerService;
}): 'server' | 'first-request' {
  const dispatcher = dispatchers.get(options.rootConfig);
  if (dispatcher) {
    dispatcher.route(options.hook.pathPrefix, options.hook);
    return 'server';
  }
  options.logger.warn(
    'Preview sockets: the HTTP server was not handed over, so WebSocket upgrades ' +
      'are refused with 503 until the first request to /api/stackyard, and ' +
      'upgraded sockets are only closed when this plugin stops. Add ' +
      '`backend.add(rootHttpRouterServiceFactory({ configure: stackyardHttpServer() }))` ' +
      'to the backend (see the plugin README).',
  );
  return 'first-request';
}
