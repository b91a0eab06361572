import Module from 'module';
import type { ConnectionsChannel } from './connectionsChannel';
import {
  type SdkModule,
  encodeData,
  isModelled,
  settle,
} from './connectionsSdkOutcome';
import type { ConnectionsCall } from './protocol';

/** The SDK package handler code requires (from `NODE_PATH`). */
export const CONNECTIONS_SDK = '@aws-sdk/client-apigatewaymanagementapi';

const OPERATIONS: Record<string, ConnectionsCall['op']> = {
  PostToConnectionCommand: 'post',
  GetConnectionCommand: 'get',
  DeleteConnectionCommand: 'delete',
};

type Endpoint = {
  protocol?: string;
  hostname?: string;
  port?: number | string;
  path?: string;
  query?: unknown;
};

type SdkClient = {
  /** The SDK's cache of resolved handlers (with `cacheMiddleware`). */
  handlers?: unknown;
  config: {
    cacheMiddleware?: boolean;
    endpoint?: () => Promise<Endpoint>;
    credentials?: () => Promise<{ accessKeyId?: string }>;
  };
  middlewareStack: {
    add(
      middleware: unknown,
      options: { step: string; priority: string; name: string },
    ): void;
  };
  send(...args: unknown[]): unknown;
};

type Args = { input?: { ConnectionId?: unknown; Data?: unknown } };
type Next = (args: Args) => Promise<unknown>;

/** `protocol//host:port/path` of an endpoint, the port always given. */
function endpointKey(e: Endpoint): string | undefined {
  if (!e.protocol || !e.hostname || (e.query && Object.keys(e.query).length))
    return undefined;
  const defaultPort = e.protocol === 'https:' ? 443 : 80;
  const port = e.port ? Number(e.port) : defaultPort;
  return `${e.protocol}//${e.hostname}:${port}${(e.path ?? '').replace(
    /\/+$/,
    '',
  )}`;
}

/**
 * Has the SDK resolve the client's middleware stack once per command class
 * (its own `cacheMiddleware` option, unless the handler set it), not on
 * every call: resolving it took 60–80 µs of a routed call's 70–90 µs of
 * CPU with the runner's small young generation (mostly garbage
 * collection); cached, a call takes 10–20 µs. A change to the client's
 * stack drops the resolved handlers, so middleware the handler adds later
 * still runs.
 */
function cacheHandlers(client: SdkClient): void {
  if (client.config.cacheMiddleware !== undefined) return;
  client.config.cacheMiddleware = true;
  const stack = client.middlewareStack as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  for (const name of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag']) {
    const change = stack[name];
    if (typeof change !== 'function') continue;
    stack[name] = (...args: unknown[]) => {
      delete client.handlers;
      return change.apply(stack, args);
    };
  }
}

/** Makes the SDK's clients send their calls to `endpoint` over the channel. */
function routeClients(
  sdk: SdkModule,
  options: {
    endpoint: string;
    accessKeyId: string;
    channel: ConnectionsChannel;
  },
): void {
  const url = new URL(options.endpoint);
  const own = endpointKey({
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname,
  });
  const decisions = new WeakMap<SdkClient, Promise<boolean>>();
  /**
   * Decided once per client: calls to the preview's own endpoint signed
   * with the runner's key. Any other endpoint or key is sent over HTTP as
   * it is (and refused there as it would be).
   */
  const isOwn = (client: SdkClient): Promise<boolean> => {
    let decision = decisions.get(client);
    if (!decision) {
      decision = (async () => {
        const endpoint = await client.config.endpoint?.();
        if (!endpoint || endpointKey(endpoint) !== own) return false;
        const credentials = await client.config.credentials?.();
        if (credentials?.accessKeyId !== options.accessKeyId) return false;
        cacheHandlers(client);
        return true;
      })().catch(() => false);
      decisions.set(client, decision);
    }
    return decision;
  };
  const middleware =
    (client: SdkClient) =>
    (next: Next, context: { commandName?: string }) =>
    async (args: Args) => {
      const op = OPERATIONS[context.commandName ?? ''];
      // Awaited by every call of the client, so its calls keep their order.
      if (!op || !(await isOwn(client))) return next(args);
      const id = args.input?.ConnectionId;
      if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
        return next(args);
      }
      const data = op === 'post' ? encodeData(args.input?.Data) : undefined;
      if (op === 'post' && !data) return next(args);
      const outcome = await options.channel.call(op, id, data);
      if ('http' in outcome) return next(args);
      if ('error' in outcome && !isModelled(sdk, outcome.error.name)) {
        return next(args);
      }
      return settle(sdk, op, outcome);
    };
  const proto = sdk.ApiGatewayManagementApiClient.prototype as SdkClient;
  const send = proto.send;
  const routed = new WeakSet<SdkClient>();
  proto.send = function sendOverChannel(this: SdkClient, ...args: unknown[]) {
    if (!routed.has(this)) {
      routed.add(this);
      // Innermost of the initialize step: the handler's own initialize
      // middleware still runs; serialization, signing and HTTP do not.
      this.middlewareStack.add(middleware(this), {
        step: 'initialize',
        priority: 'low',
        name: 'stackyardPreviewConnections',
      });
    }
    return send.apply(this, args);
  };
}

/**
 * Sends the functions' `@connections` calls (`PostToConnection`,
 * `GetConnection`, `DeleteConnection`) to the preview's own endpoint over
 * the runner's channel instead of HTTP: the SDK call resolves, or throws
 * the exception, that the HTTP path gives, without serializing, signing or
 * parsing HTTP. Handler code is unchanged: the SDK's client class is given a
 * middleware when handler code first requires it (instrumentation
 * libraries hook `Module._load` the same way). Calls to other endpoints, a
 * post over 256 KiB (`MAX_CHANNEL_POST_BYTES`), and answers the SDK would retry
 * (throttling, server errors) go over HTTP as before.
 */
export function routeConnectionsOverChannel(options: {
  endpoint: string;
  accessKeyId: string;
  channel: ConnectionsChannel;
}): void {
  const loader = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
  };
  const load = loader._load;
  const done = new WeakSet<object>();
  loader._load = function loadRouted(this: unknown, ...args) {
    // Not named `exports`: compiled to CommonJS, that would hide this module's own.
    const loaded = load.apply(this, args) as SdkModule;
    if (args[0] === CONNECTIONS_SDK && loaded && !done.has(loaded)) {
      done.add(loaded);
      if (typeof loaded.ApiGatewayManagementApiClient === 'function') {
        routeClients(loaded, options);
      }
    }
    return loaded;
  };
}
