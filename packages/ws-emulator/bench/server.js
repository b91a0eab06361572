/* eslint-disable */
// Benchmark server process. Modes:
//   bare          a bare `ws` server doing the same JSON routing on `action`
//   emulator      the emulator, `echo` as a two-way route (route response)
//   emulator-sdk  the emulator, `echo` one-way; the handler echoes through
//                 @connections with @aws-sdk/client-apigatewaymanagementapi
//   emulator-http the same echo through @connections with plain keep-alive
//                 `http.request` POSTs (no SDK): what the endpoint itself costs
// Reports { type: 'ready', port } over IPC and answers { type: 'rss' }.
const mode = process.argv[2];
process.on('SIGTERM', () => process.exit(0));

function report(port) {
  process.send({ type: 'ready', port });
  process.on('message', message => {
    if (message && message.type === 'rss') {
      if (global.gc) global.gc();
      process.send({ type: 'rss', rss: process.memoryUsage().rss });
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
  const { startWebSocketApiServer, moduleIntegration } = require(bundle ||
    '../src/index.ts');
  let endpoint;
  let sdk;
  const viaSdk = mode === 'emulator-sdk';
  const { PostToConnectionCommand } = viaSdk
    ? require('@aws-sdk/client-apigatewaymanagementapi')
    : {};
  const viaHttp = mode === 'emulator-http';
  const httpMod = require('node:http');
  const rawAgent = new httpMod.Agent({ keepAlive: true, maxSockets: 256 });
  const postRaw = (connectionId, data) =>
    new Promise((resolve, reject) => {
      const url = new URL(
        `${endpoint}/@connections/${encodeURIComponent(connectionId)}`,
      );
      const req = httpMod.request(
        url,
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
  const handler = viaHttp
    ? async event => {
        await postRaw(event.requestContext.connectionId, event.body);
        return { statusCode: 200 };
      }
    : viaSdk
    ? async event => {
        const {
          PostToConnectionCommand,
        } = require('@aws-sdk/client-apigatewaymanagementapi');
        await sdk.send(
          new PostToConnectionCommand({
            ConnectionId: event.requestContext.connectionId,
            Data: event.body,
          }),
        );
        return { statusCode: 200 };
      }
    : async event => ({ statusCode: 200, body: event.body });
  startWebSocketApiServer({
    port: 0,
    limits: { connectionsPerSecond: 100000 },
    routes: {
      echo: {
        integration: moduleIntegration({ name: 'echo', handler }),
        response: !viaSdk && !viaHttp,
      },
    },
  }).then(server => {
    endpoint = server.connectionsEndpoint;
    if (viaSdk) {
      const {
        ApiGatewayManagementApiClient,
      } = require('@aws-sdk/client-apigatewaymanagementapi');
      const { NodeHttpHandler } = require('@smithy/node-http-handler');
      sdk = new ApiGatewayManagementApiClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
        requestHandler: new NodeHttpHandler({
          httpAgent: new httpMod.Agent({ keepAlive: true, maxSockets: 256 }),
        }),
      });
    }
    report(server.server.address().port);
  });
}
