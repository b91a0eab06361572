/**
 * Preview sockets through a local preview's runner, measured:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/previewSocketBenchmark.ts
 *
 * A published repository whose one function echoes each message back
 * through `@connections` (with @aws-sdk/client-apigatewaymanagementapi, as
 * a deployed handler would) is recorded as a local preview, as the deploy
 * action records it; the backend (the plugin's own wiring, SQLite in
 * memory, the real @stackyard/preview-runtime) serves its socket. Measured:
 * cold (from the recorded deployment to the first echo: checkout, synth,
 * runner start), warm (a new connection's first echo), and routed echo
 * throughput with 100 connections × 4 messages in flight, beside the
 * standalone emulator running the same handler in-process, in the same run.
 */
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { startManifestServer } from '@stackyard/ws-emulator';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { WebSocket } from 'ws';
import { readOptions } from '../src/config/readOptions';
import { createStackyardServices } from '../src/services';
import { loopbackAwsClients } from '../src/__testUtils__/loopbackAws';
import {
  recordingAuditor,
  recordingNotifier,
} from '../src/__testUtils__/recorders';

const CONNECTIONS = 100;
const IN_FLIGHT = 4;
const SECONDS = 10;

const ECHO = `'use strict';
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
let api;
exports.handler = async event => {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey === '$connect' || routeKey === '$disconnect') return { statusCode: 200 };
  api ??= new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_CALLBACK_URL });
  await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: event.body }));
  return { statusCode: 200 };
};
`;

const MANIFEST = `service:
  name: echo
  project: echo
  costCenter: cc-1
  owner: component:default/echo
functions:
  echo:
    handler: index.handler
    code: functions/echo
    timeout: 5
    memorySize: 128
    reservedConcurrency: 10
websocket:
  routes:
    $connect: echo
    $disconnect: echo
    $default: echo
`;

function open(
  url: string,
  headers: Record<string, string> = {},
  protocols: string[] = [],
) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
}

function firstEcho(ws: WebSocket): Promise<void> {
  return new Promise(resolve => {
    ws.once('message', () => resolve());
    ws.send('ping');
  });
}

/** Echo throughput: each connection keeps IN_FLIGHT messages outstanding. */
async function throughput(
  url: string,
  headers: Record<string, string>,
): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => open(url, headers)),
  );
  const counts = { echoed: 0, running: true };
  // Each echo is answered with the next message, keeping IN_FLIGHT outstanding.
  const keepSending = (ws: WebSocket) => () => {
    counts.echoed += 1;
    if (counts.running) ws.send('x');
  };
  for (const ws of sockets) {
    ws.on('message', keepSending(ws));
    for (let i = 0; i < IN_FLIGHT; i++) ws.send('x');
  }
  // Warm-up second, then the measured window.
  await new Promise(r => setTimeout(r, 1000));
  const start = counts.echoed;
  const began = performance.now();
  await new Promise(r => setTimeout(r, SECONDS * 1000));
  const rate = ((counts.echoed - start) * 1000) / (performance.now() - began);
  counts.running = false;
  for (const ws of sockets) ws.terminate();
  return rate;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'preview-socket-bench-'));
  const repoDir = join(root, 'repos', 'echo');
  mkdirSync(join(repoDir, 'functions', 'echo'), { recursive: true });
  writeFileSync(join(repoDir, 'functions', 'echo', 'index.js'), ECHO);
  writeFileSync(join(repoDir, 'stackyard.yaml'), MANIFEST);
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args],
      { cwd: repoDir, encoding: 'utf8' },
    ).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'echo');
  const commit = git('rev-parse', 'HEAD');

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  let port = 0;
  const { auditor } = recordingAuditor();
  const { notifier } = recordingNotifier();
  const services = await createStackyardServices({
    options: {
      ...readOptions(new ConfigReader({})),
      localPublishDirectory: join(root, 'repos'),
      previews: {
        ...readOptions(new ConfigReader({})).previews,
        dataDirectory: join(root, 'data'),
      },
    },
    database: mockServices.database({ knex }),
    logger: mockServices.rootLogger({ level: 'warn' }),
    permissions: mockServices.permissions(),
    auditor,
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth({ pluginId: 'stackyard' }),
    events: mockServices.events(),
    aws: loopbackAwsClients,
    mountPath: '',
    notifier,
    catalog: {
      getEntityByRef: async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'echo',
          annotations: {
            'backstage.io/managed-by-location': `stackyard-local:${repoDir}/catalog-info.yaml`,
          },
        },
      }),
    } as any,
    discovery: {
      getBaseUrl: async () => `http://127.0.0.1:${port}`,
      getExternalBaseUrl: async () => `http://127.0.0.1:${port}`,
    },
  });
  const server = createServer(
    express().use(services.router).use(mockErrorHandler()),
  );
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // The upgrade hook attaches on the first request the router sees.
  await fetch(`http://127.0.0.1:${port}/environments`).catch(() => undefined);

  const deployedAt = performance.now();
  const { environment } = await services.store.registerDeployment({
    request: {
      entityRef: 'component:default/echo',
      target: 'local',
      prefix: 'echo',
      stage: 'dev',
      stackName: 'echo-dev',
      status: 'ready',
      commit,
      websocket: {
        routes: Object.fromEntries(
          ['$connect', '$disconnect', '$default'].map(key => [
            key,
            { integration: { type: 'preview', function: 'echo' } },
          ]),
        ),
      },
    },
    target: { name: 'local', type: 'local' },
    actor: 'bench',
  });
  const key = (await services.sockets.host.rotateConnectionKey(
    environment.id,
  ))!;
  const headers = { 'x-stackyard-connection-key': key };
  const url = `ws://127.0.0.1:${port}/sockets/${environment.id}/dev`;

  const first = await open(url, headers);
  await firstEcho(first);
  const coldMs = performance.now() - deployedAt;
  first.terminate();
  const warmStart = performance.now();
  const second = await open(url, headers);
  await firstEcho(second);
  const warmMs = performance.now() - warmStart;
  second.terminate();

  const routed = await throughput(url, headers);

  // The same handler in-process, with the SDK the emulator ships with.
  const sdk = createRequire(require.resolve('@stackyard/ws-emulator'))(
    '@aws-sdk/client-apigatewaymanagementapi',
  );
  let endpoint = '';
  let client: any;
  const standalone = await startManifestServer({
    manifest: repoDir,
    port: 0,
    host: '127.0.0.1',
    handlers: {
      echo: async (event: any) => {
        const { routeKey, connectionId } = event.requestContext;
        if (routeKey === '$connect' || routeKey === '$disconnect') {
          return { statusCode: 200 };
        }
        client ??= new sdk.ApiGatewayManagementApiClient({
          endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        });
        await client.send(
          new sdk.PostToConnectionCommand({
            ConnectionId: connectionId,
            Data: event.body,
          }),
        );
        return { statusCode: 200 };
      },
    },
  });
  endpoint = standalone.connectionsEndpoint;
  const inProcess = await throughput(standalone.url, {});
  await standalone.close();

  const rss = process.memoryUsage().rss / 1024 / 1024;
  process.stdout.write(
    `${JSON.stringify(
      {
        coldDeployToFirstEchoMs: Math.round(coldMs),
        warmNewConnectionFirstEchoMs: Math.round(warmMs),
        routedEchoPerSecond: Math.round(routed),
        standaloneInProcessEchoPerSecond: Math.round(inProcess),
        connections: CONNECTIONS,
        inFlightPerConnection: IN_FLIGHT,
        seconds: SECONDS,
        backendRssMb: Math.round(rss),
      },
      null,
      2,
    )}\n`,
  );
  await services.previews?.close();
  await services.sockets.close();
  server.closeAllConnections?.();
  server.close();
  await knex.destroy();
  rmSync(root, { recursive: true, force: true });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
