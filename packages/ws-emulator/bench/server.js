/* eslint-disable */
// Benchmark server process. Modes:
//   bare          a bare `ws` server doing the same JSON routing on `action`
//   emulator      the emulator, `echo` as a two-way route (route response)
//   emulator-sdk  the emulator, `echo` one-way; the handler (echoHandler.js)
//                 echoes through @connections with
//                 @aws-sdk/client-apigatewaymanagementapi, in worker threads
//   emulator-sdk-inprocess  the same handler in the emulator's own thread
//   emulator-http the same echo through @connections with plain keep-alive
//                 `http.request` POSTs (no SDK): what the endpoint itself costs
// Reports { type: 'ready', port } over IPC and answers { type: 'rss' } and
// { type: 'cpu' } (CPU time of the process so far).
const mode = process.argv[2];
process.on('SIGTERM', () => process.exit(0));

function report(port) {
  process.send({ type: 'ready', port });
  process.on('message', message => {
    if (message && message.type === 'rss') {
      if (global.gc) global.gc();
      process.send({ type: 'rss', rss: process.memoryUsage().rss });
    }
    if (message && message.type === 'cpu') {
      // All threads of the process, worker threads included.
      const { user, system } = process.cpuUsage();
      process.send({ type: 'cpu', micros: user + system });
    }
  });
}

if (mode === 'bare') {
  const http = require('node:http');
  const { WebSocketServer } = require('ws');
  const server = http.createServer();
  const wss = new WebSocketServer({
    server,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const routes = { echo: (ws, body) => ws.send(body) };
  wss.on('connection', ws => {
    ws.on('message', (data, isBinary) => {
      const body = data.toString();
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const route = parsed && routes[parsed.action];
      if (route) route(ws, body);
      else ws.send(JSON.stringify({ message: 'Forbidden' }));
    });
  });
  server.listen(0, '127.0.0.1', () => report(server.address().port));
} else {
  // The plain-JavaScript bundle made by run.js, so the emulator process
  // carries no TypeScript loader (the bare server has none either).
  const bundle = process.env.BENCH_EMULATOR_BUNDLE;
  if (!bundle) require('@backstage/cli/config/nodeTransform.cjs');
  const {
    startWebSocketApiServer,
    moduleIntegration,
    workerIntegration,
  } = require(bundle || '../src/index.ts');
  const path = require('node:path');
  const httpMod = require('node:http');
  const echoModule = path.join(__dirname, 'echoHandler.js');
  let endpoint;
  const rawAgent = new httpMod.Agent({ keepAlive: true, maxSockets: 128 });
  const postRaw = (connectionId, data) =>
    new Promise((resolve, reject) => {
      const req = httpMod.request(
        `${endpoint}/@connections/${encodeURIComponent(connectionId)}`,
        {
          method: 'POST',
          agent: rawAgent,
          headers: { 'content-length': Buffer.byteLength(data) },
        },
        res => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve()
              : reject(new Error(`POST @connections: ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  const integrations = {
    // Two-way route: the handler's body is the route response.
    emulator: () =>
      moduleIntegration({
        name: 'echo',
        handler: async event => ({ statusCode: 200, body: event.body }),
      }),
    // The SDK echo in worker threads, apart from the emulator's event loop.
    'emulator-sdk': () =>
      workerIntegration({
        module: echoModule,
        workers: Number(process.env.BENCH_SDK_WORKERS || 2),
      }),
    // The same handler inside the emulator's process (for comparison).
    'emulator-sdk-inprocess': () =>
      moduleIntegration({
        name: 'echo',
        handler: require(echoModule).handler,
      }),
    'emulator-http': () =>
      moduleIntegration({
        name: 'echo',
        handler: async event => {
          await postRaw(event.requestContext.connectionId, event.body);
          return { statusCode: 200 };
        },
      }),
  };
  if (!integrations[mode]) throw new Error(`unknown mode ${mode}`);
  startWebSocketApiServer({
    port: 0,
    limits: { connectionsPerSecond: 100000 },
    routes: {
      echo: {
        integration: integrations[mode](),
        response: mode === 'emulator',
      },
    },
  }).then(server => {
    endpoint = server.connectionsEndpoint;
    report(server.server.address().port);
  });
}
