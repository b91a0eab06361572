import { parseArgs } from 'node:util';
import { startWebSocketApiServer, StandaloneServer } from '../standalone';
import type { EmulatorActivity } from '../types';
import type { LoadedApi } from './loadConfig';

const USAGE = `Usage: stackyard-ws (--config <file> | --manifest <file|dir>)
                    [--host <host>] [--port <port>] [--log-frames]

Serves an emulated API Gateway WebSocket API described by a YAML or JSON
emulator config (--config), or by the "websocket" section of a
stackyard.yaml service manifest (--manifest: the file or the directory
holding it; --config also accepts a manifest). Each route of a manifest
runs its function's handler from the function's code directory.`;

/** Where the CLI writes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

function describe(
  activity: EmulatorActivity,
  logFrames: boolean,
): string | undefined {
  switch (activity.type) {
    case 'connect':
      return `connect ${activity.connectionId} from ${activity.sourceIp}${
        activity.subprotocol ? ` (${activity.subprotocol})` : ''
      }`;
    case 'connect-refused':
      return `refused ${activity.statusCode} from ${activity.sourceIp}: ${activity.reason}`;
    case 'disconnect':
      return `disconnect ${activity.connectionId} ${activity.statusCode} ${activity.reason}`;
    case 'route':
      return `route ${activity.connectionId} ${activity.routeKey} ${
        activity.outcome
      } ${activity.durationMs}ms${activity.error ? ` ${activity.error}` : ''}`;
    case 'frame':
      return logFrames
        ? `frame ${activity.frame.direction} ${activity.frame.connectionId} ${
            activity.frame.size
          }B ${JSON.stringify(activity.frame.preview)}`
        : undefined;
    default:
      return `error ${activity.connectionId ?? ''} ${activity.message}`.replace(
        '  ',
        ' ',
      );
  }
}

/**
 * Runs the `stackyard-ws` CLI: starts the server and returns it (the caller
 * closes it). Throws on bad arguments or config.
 * @public
 */
export async function runCli(
  argv: readonly string[],
  output: CliOutput = {
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
  },
): Promise<StandaloneServer | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      manifest: { type: 'string', short: 'm' },
      host: { type: 'string' },
      port: { type: 'string' },
      'log-frames': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    output.out(USAGE);
    return undefined;
  }
  if (values.config === undefined && values.manifest === undefined) {
    throw new Error(`--config is required (or --manifest)\n${USAGE}`);
  }
  if (values.config !== undefined && values.manifest !== undefined) {
    throw new Error(`give --config or --manifest, not both\n${USAGE}`);
  }
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    throw new Error(
      `--port must be a port number, got ${JSON.stringify(values.port)}`,
    );
  }
  // The loaders (YAML parser, schemas, the manifest loader) are needed by
  // the CLI only.
  let api: LoadedApi;
  if (values.manifest !== undefined) {
    const { loadManifestApi } =
      require('../manifest/manifestApi') as typeof import('../manifest/manifestApi');
    api = loadManifestApi(values.manifest);
  } else {
    const { loadConfig } =
      require('./loadConfig') as typeof import('./loadConfig');
    api = await loadConfig(values.config!);
  }
  const { routes } = api;
  const { host, port, logFrames: logAllFrames, ...options } = api.settings;
  const logFrames = values['log-frames'] ?? logAllFrames;
  const server = await startWebSocketApiServer({
    ...options,
    host: values.host ?? host,
    port: values.port !== undefined ? Number(values.port) : port,
    routes,
    onActivity: activity => {
      const line = describe(activity, logFrames);
      if (line) {
        (activity.type === 'error' ? output.err : output.out)(line);
      }
    },
  });
  output.out(`WebSocket API: ${server.url}`);
  output.out(`@connections endpoint: ${server.connectionsEndpoint}`);
  output.out(`Routes: ${Object.keys(routes).join(', ') || '(none)'}`);
  return server;
}
