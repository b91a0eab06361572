import { parseArgs } from 'node:util';
import { startWebSocketApiServer, StandaloneServer } from '../standalone';
import type { EmulatorActivity } from '../types';
import { buildRoutes } from './buildRoutes';

const USAGE = `Usage: stackyard-ws --config <file> [--host <host>] [--port <port>] [--log-frames]

Serves an emulated API Gateway WebSocket API described by <file>: a YAML or
JSON emulator config, or a stackyard.yaml service manifest (its "websocket"
section).`;

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
  if (!values.config) {
    throw new Error(`--config is required\n${USAGE}`);
  }
  // The config loader (YAML parser, schema) is needed by the CLI only.
  const { loadConfig } =
    require('./loadConfig') as typeof import('./loadConfig');
  const { config, baseDir } = await loadConfig(values.config);
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    throw new Error(
      `--port must be a port number, got ${JSON.stringify(values.port)}`,
    );
  }
  const logFrames = values['log-frames'] ?? config.logFrames;
  const server = await startWebSocketApiServer({
    host: values.host ?? config.host,
    port: values.port !== undefined ? Number(values.port) : config.port,
    stage: config.stage,
    apiId: config.apiId,
    domainName: config.domainName,
    routeSelectionExpression: config.routeSelectionExpression,
    limits: config.limits,
    channels: config.channels,
    routes: buildRoutes(config, baseDir),
    onActivity: activity => {
      const line = describe(activity, logFrames);
      if (line) {
        (activity.type === 'error' ? output.err : output.out)(line);
      }
    },
  });
  output.out(`WebSocket API: ${server.url}`);
  output.out(`@connections endpoint: ${server.connectionsEndpoint}`);
  output.out(`Routes: ${Object.keys(config.routes).join(', ') || '(none)'}`);
  return server;
}
