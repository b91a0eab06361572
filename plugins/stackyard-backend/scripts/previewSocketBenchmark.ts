/**
 * Preview sockets through a local preview's runner, measured:
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs scripts/previewSocketBenchmark.ts
 *
 * A published repository whose one function echoes each message is
 * recorded as a local preview, as the deploy action records it; the backend
 * (the plugin's own wiring, SQLite, the real @stackyard/preview-runtime)
 * serves its socket. Measured:
 * - cold (from the recorded deployment to the first echo: checkout, synth,
 *   runner start) and warm (a new connection's first echo);
 * - echo throughput with 100 connections × 4 messages in flight, the load
 *   from its own process (`socketEchoLoad.mjs`), with the CPU time per echo
 *   of the backend and of the runner: routed through the runner with the
 *   handler posting back through `@connections` with
 *   @aws-sdk/client-apigatewaymanagementapi (as a deployed handler does;
 *   the runner carries its posts over its channel), routed through the
 *   runner with the handler's return value as the route response, the
 *   `@connections` echo again with the runner's channel off (`routedHttp`:
 *   the posts signed and sent over HTTP, in a backend of its own), and
 *   beside them the standalone emulator running the same handler
 *   in-process, in the same run;
 * - the runner's resident memory, idle after the run;
 * - the backend's memory per sleeping preview: N previews are each woken
 *   (a connection, an echo), then put to sleep; heap and RSS after GC are
 *   compared with those after the first one slept.
 *
 * `BENCH_ONLY=cold,routed,response,routedHttp,standalone,sleeping` runs some phases;
 * `BENCH_SECONDS` (default 10) is each throughput window;
 * `BENCH_SLEEPING` (default 100) the number of sleeping previews.
 */
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import {
  moduleIntegration,
  startManifestServer,
  startWebSocketApiServer,
} from '@stackyard/ws-emulator';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import knexFactory from 'knex';
import { WebSocket } from 'ws';
import { startPreview } from '@stackyard/preview-runtime';
import { readOptions } from '../src/config/readOptions';
import { createStackyardServices } from '../src/services';
import { loopbackAwsClients } from '../src/__testUtils__/loopbackAws';
import {
  recordingAuditor,
  recordingNotifier,
} from '../src/__testUtils__/recorders';

const CONNECTIONS = 100;
const IN_FLIGHT = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SLEEPING = Number(process.env.BENCH_SLEEPING ?? 100);
const ONLY = new Set(
  (
    process.env.BENCH_ONLY ??
    'cold,routed,response,routedHttp,standalone,sleeping'
  ).split(','),
);

// `{"action":"echo",…}` is answered as the route response; anything else is
// posted back through `@connections`.
const ECHO = `'use strict';
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
let api;
exports.handler = async event => {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey === '$connect' || routeKey === '$disconnect') return { statusCode: 200 };
  if (routeKey === 'echo') return { statusCode: 200, body: event.body };
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
    echo: echo
`;

const POST_MESSAGE = 'x'.repeat(64);
const RESPONSE_MESSAGE = JSON.stringify({
  action: 'echo',
  data: 'x'.repeat(40),
});

function open(url: string, headers: Record<string, string> = {}) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
}

function firstEcho(ws: WebSocket, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no echo')), timeoutMs);
    ws.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.send(POST_MESSAGE);
  });
}

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 (1-based) of the whole line.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  )?.[1];
  return Number(kb) / 1024;
}

/** This process's preview runners. */
function runnerPids(): number[] {
  const children = readFileSync(
    `/proc/${process.pid}/task/${process.pid}/children`,
    'utf8',
  )
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.filter(pid => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(
        'preview-runner',
      );
    } catch {
      return false;
    }
  });
}

type Throughput = {
  perSecond: number;
  /** CPU time per echo of this process (backend, or the standalone emulator). */
  serverCpuUs: number;
  /** CPU time per echo of the runner. */
  runnerCpuUs?: number;
};

/** Echo throughput, the load from its own process. */
async function throughput(
  url: string,
  headers: Record<string, string>,
  message: string,
  runner?: number,
): Promise<Throughput> {
  const load = spawn(
    process.execPath,
    [
      join(__dirname, 'socketEchoLoad.mjs'),
      url,
      JSON.stringify(headers),
      String(CONNECTIONS),
      String(IN_FLIGHT),
      '1000',
      String(SECONDS * 1000),
      message,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let cpu0 = process.cpuUsage();
  let runner0 = runner ? cpuSeconds(runner) : 0;
  let result: { echoed: number; ms: number } | undefined;
  let cpu = { user: 0, system: 0 };
  let runnerCpu = 0;
  for await (const line of createInterface({ input: load.stdout! })) {
    if (line === 'measuring') {
      cpu0 = process.cpuUsage();
      runner0 = runner ? cpuSeconds(runner) : 0;
    } else if (line.startsWith('{')) {
      cpu = process.cpuUsage(cpu0);
      runnerCpu = runner ? cpuSeconds(runner) - runner0 : 0;
      result = JSON.parse(line);
    }
  }
  if (!result || result.echoed === 0) throw new Error('the load got no echo');
  return {
    perSecond: Math.round((result.echoed * 1000) / result.ms),
    serverCpuUs: Math.round((cpu.user + cpu.system) / result.echoed),
    ...(runner
      ? { runnerCpuUs: Math.round((runnerCpu * 1e6) / result.echoed) }
      : {}),
  };
}

function publishRepository(root: string): { repoDir: string; commit: string } {
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
  return { repoDir, commit: git('rev-parse', 'HEAD') };
}

/** The plugin's own wiring on a loopback HTTP server. */
async function startBackend(options: {
  root: string;
  repoDir: string;
  name: string;
  idleMs?: number;
  /** The runner's `@connections` calls over HTTP, its channel off. */
  connectionsOverHttp?: boolean;
}) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(options.root, `${options.name}.sqlite`) },
    useNullAsDefault: true,
  });
  let port = 0;
  const { auditor } = recordingAuditor();
  const { notifier } = recordingNotifier();
  const defaults = readOptions(new ConfigReader({}));
  const services = await createStackyardServices({
    options: {
      ...defaults,
      localPublishDirectory: join(options.root, 'repos'),
      previews: {
        ...defaults.previews,
        dataDirectory: join(options.root, `${options.name}-data`),
        ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
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
    ...(options.connectionsOverHttp && {
      previewRuntime: {
        start: previewOptions =>
          startPreview({ ...previewOptions, connections: undefined }),
      },
    }),
    notifier,
    catalog: {
      getEntityByRef: async () => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'echo',
          annotations: {
            'backstage.io/managed-by-location': `stackyard-local:${options.repoDir}/catalog-info.yaml`,
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
  return {
    services,
    port,
    async close() {
      await services.previews?.close();
      await services.sockets.close();
      server.closeAllConnections?.();
      server.close();
      await knex.destroy();
    },
  };
}

type Backend = Awaited<ReturnType<typeof startBackend>>;

/** Records a local preview of the echo repository; its socket URL and key. */
async function recordPreview(backend: Backend, commit: string, prefix: string) {
  const { environment } = await backend.services.store.registerDeployment({
    request: {
      entityRef: 'component:default/echo',
      target: 'local',
      prefix,
      stage: 'dev',
      stackName: `${prefix}-dev`,
      status: 'ready',
      commit,
      websocket: {
        routeSelectionExpression: '$request.body.action',
        routes: {
          ...Object.fromEntries(
            ['$connect', '$disconnect', '$default'].map(key => [
              key,
              { integration: { type: 'preview', function: 'echo' } },
            ]),
          ),
          echo: {
            integration: { type: 'preview', function: 'echo' },
            response: true,
          },
        },
      },
    },
    target: { name: 'local', type: 'local' },
    actor: 'bench',
  });
  const key = (await backend.services.sockets.host.rotateConnectionKey(
    environment.id,
  ))!;
  return {
    id: environment.id,
    headers: { 'x-stackyard-connection-key': key },
    url: `ws://127.0.0.1:${backend.port}/sockets/${environment.id}/dev`,
  };
}

/** The same handler in-process in the standalone emulator, with the SDK it ships with. */
async function standaloneRuns(repoDir: string) {
  const sdk = createRequire(require.resolve('@stackyard/ws-emulator'))(
    '@aws-sdk/client-apigatewaymanagementapi',
  );
  let endpoint = '';
  let client: any;
  const viaConnections = await startManifestServer({
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
  endpoint = viaConnections.connectionsEndpoint;
  const connections = await throughput(viaConnections.url, {}, POST_MESSAGE);
  await viaConnections.close();

  const integration = moduleIntegration({
    name: 'echo',
    handler: async (event: any) => ({ statusCode: 200, body: event.body }),
  });
  const withResponse = await startWebSocketApiServer({
    port: 0,
    host: '127.0.0.1',
    routeSelectionExpression: '$request.body.action',
    routes: {
      $default: { integration },
      echo: { integration, response: true },
    },
  });
  const response = await throughput(withResponse.url, {}, RESPONSE_MESSAGE);
  await withResponse.close();
  return { connections, response };
}

function memory() {
  (global as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

/** Idle time after which a preview sleeps, in the sleeping phase. */
const IDLE_MS = 1000;

/** Wakes `count` previews one after the other, each put to sleep after its echo. */
async function sleepingPreviews(root: string, repoDir: string, commit: string) {
  const backend = await startBackend({
    root,
    repoDir,
    name: 'sleeping',
    idleMs: IDLE_MS,
  });
  const manager = backend.services.previews!.manager;
  const wakeAndSleep = async (i: number) => {
    const preview = await recordPreview(backend, commit, `s${i}`);
    const ws = await open(preview.url, preview.headers);
    await firstEcho(ws);
    ws.close();
    await new Promise(r => ws.once('close', r));
    // `$disconnect` runs in the runner too: sleep once it has, and the
    // preview has been idle for `idleMs`.
    for (let tries = 0; ; tries++) {
      await new Promise(r => setTimeout(r, IDLE_MS + 100));
      await manager.sweep();
      const state = (await manager.status(preview.id)).state;
      if (state === 'sleeping') return;
      if (tries > 50) throw new Error(`preview ${i} is ${state}`);
    }
  };
  await wakeAndSleep(0);
  await new Promise(r => setTimeout(r, 500));
  const before = memory();
  for (let i = 1; i <= SLEEPING; i++) await wakeAndSleep(i);
  await new Promise(r => setTimeout(r, 500));
  const after = memory();
  await backend.close();
  return {
    previews: SLEEPING,
    heapKbPerSleepingPreview: Math.round(
      ((after.heapMb - before.heapMb) * 1024) / SLEEPING,
    ),
    rssKbPerSleepingPreview: Math.round(
      ((after.rssMb - before.rssMb) * 1024) / SLEEPING,
    ),
    gc: typeof (global as { gc?: unknown }).gc === 'function',
  };
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'preview-socket-bench-'));
  const { repoDir, commit } = publishRepository(root);
  const out: Record<string, unknown> = {
    connections: CONNECTIONS,
    inFlightPerConnection: IN_FLIGHT,
    seconds: SECONDS,
  };
  const print = () => process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  try {
    if (['cold', 'routed', 'response'].some(p => ONLY.has(p))) {
      const backend = await startBackend({ root, repoDir, name: 'main' });
      const deployedAt = performance.now();
      const preview = await recordPreview(backend, commit, 'echo');
      const first = await open(preview.url, preview.headers);
      await firstEcho(first);
      out.coldDeployToFirstEchoMs = Math.round(performance.now() - deployedAt);
      first.terminate();
      const warmStart = performance.now();
      const second = await open(preview.url, preview.headers);
      await firstEcho(second);
      out.warmNewConnectionFirstEchoMs = Math.round(
        performance.now() - warmStart,
      );
      second.terminate();
      const [runner] = runnerPids();
      if (ONLY.has('routed')) {
        out.routedConnectionsEcho = await throughput(
          preview.url,
          preview.headers,
          POST_MESSAGE,
          runner,
        );
      }
      if (ONLY.has('response')) {
        out.routedResponseEcho = await throughput(
          preview.url,
          preview.headers,
          RESPONSE_MESSAGE,
          runner,
        );
      }
      // Idle after the load: at once, and once V8 had time to shrink its heap.
      const idle: Record<string, number> = {};
      for (const after of [2, 10, 30]) {
        const waited = Object.keys(idle).length
          ? after - Number(Object.keys(idle).slice(-1)[0].replace('s', ''))
          : after;
        await new Promise(r => setTimeout(r, waited * 1000));
        idle[`${after}s`] = Math.round(rssMb(runner) * 10) / 10;
      }
      out.runnerRssMbIdleAfterLoad = idle;
      out.backendRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      await backend.close();
    }
    if (ONLY.has('routedHttp')) {
      const backend = await startBackend({
        root,
        repoDir,
        name: 'http',
        connectionsOverHttp: true,
      });
      const preview = await recordPreview(backend, commit, 'overhttp');
      const first = await open(preview.url, preview.headers);
      await firstEcho(first);
      first.terminate();
      const runner = runnerPids().find(pid =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(preview.id),
      );
      out.routedConnectionsEchoOverHttp = await throughput(
        preview.url,
        preview.headers,
        POST_MESSAGE,
        runner,
      );
      await backend.close();
    }
    if (ONLY.has('standalone')) {
      const standalone = await standaloneRuns(repoDir);
      out.standaloneConnectionsEcho = standalone.connections;
      out.standaloneResponseEcho = standalone.response;
    }
    if (ONLY.has('sleeping')) {
      out.sleeping = await sleepingPreviews(root, repoDir, commit);
    }
  } finally {
    print();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  // The backend and its runners may still be up: do not wait for them.
  process.exit(1);
});
