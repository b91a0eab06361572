import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketApiEmulator } from './WebSocketApiEmulator';
import type { WebSocketApiEmulatorOptions } from './types';

/**
 * Options of {@link startWebSocketApiServer}.
 * @public
 */
export interface StandaloneServerOptions extends WebSocketApiEmulatorOptions {
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 3001
   */
  readonly port?: number;
}

/**
 * A running standalone emulator.
 * @public
 */
export interface StandaloneServer {
  readonly emulator: WebSocketApiEmulator;
  readonly server: http.Server;
  /** The WebSocket URL clients connect to, e.g. `ws://127.0.0.1:3001/local`. */
  readonly url: string;
  /** The `@connections` endpoint for `ApiGatewayManagementApiClient`, e.g. `http://127.0.0.1:3001/local`. */
  readonly connectionsEndpoint: string;
  /** Closes every connection, then the server. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server serving one emulated WebSocket API: upgrades go to
 * the emulator, `@connections` requests too, anything else gets 404.
 * @public
 */
export async function startWebSocketApiServer(
  options: StandaloneServerOptions,
): Promise<StandaloneServer> {
  const emulator = WebSocketApiEmulator.create(options);
  const server = http.createServer((req, res) => {
    if (!emulator.handleRequest(req, res)) {
      const body = JSON.stringify({ message: 'Not Found' });
      res.writeHead(404, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    }
  });
  server.on('upgrade', (req, socket, head) =>
    emulator.handleUpgrade(req, socket, head),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3001, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const path = `${emulator.basePath}/${emulator.stage}`;
  return {
    emulator,
    server,
    url: `ws://${authority}${path}`,
    connectionsEndpoint: `http://${authority}${path}`,
    async close() {
      await emulator.close();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
