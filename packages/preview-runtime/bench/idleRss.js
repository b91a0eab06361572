'use strict';

// Resident memory of idle running previews: the WebSocket template's preview
// and the serverless template's, fresh and once their handlers have loaded
// their SDK clients, with the runner precompiled (what a checkout runs) and
// compiling its own TypeScript with sucrase (the fallback), alternately.
//   node bench/idleRss.js          (BENCH_RUNS=5 for five rounds)
const path = require('path');
const fs = require('fs');
const http = require('http');
const os = require('os');

const cli = path.dirname(require.resolve('@backstage/cli/package.json'));
require(require.resolve('sucrase/dist/register', {
  paths: [cli],
})).registerTS();
const {
  serverlessFixture,
  websocketFixture,
} = require('../src/__testUtils__/serverlessFixture');
const { startPreview } = require('../src');
const access = require('../src/sandbox/runnerAccess');

/** Has the previews started next use `entry` (startPreview calls runnerCode). */
const runnerCode = access.runnerCode;
const useEntry = entry => {
  access.runnerCode = () => runnerCode({ sourceEntry: entry });
};

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const ENTRIES = ['precompiled', 'sucrase'];

/** Resident memory in MiB, and the part of it that is file-backed (the Node.js binary's pages, shared by every Node.js process). */
const rssMb = pid => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = key =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  return { rss: mib('VmRSS'), file: mib('RssFile') };
};
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Stands in for the portal's `@connections` API: accepts every post. */
async function connectionsStub() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return server;
}

const event = (routeKey, connectionId, body) => ({
  requestContext: {
    routeKey,
    connectionId,
    eventType: routeKey === '$connect' ? 'CONNECT' : 'MESSAGE',
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const results = new Map();

async function measure(name, fixture, env, useHandlers) {
  const preview = await startPreview({
    checkoutDir: fixture.checkoutDir,
    template: fixture.template,
    manifest: fixture.manifest,
    workDir: fixture.workDir,
    env,
  });
  try {
    await sleep(IDLE_MS);
    const fresh = rssMb(preview.pid);
    await useHandlers(preview);
    await sleep(IDLE_MS);
    const loaded = rssMb(preview.pid);
    console.log(
      `${name}: idle RSS ${fresh.rss.toFixed(
        1,
      )} MiB fresh, ${loaded.rss.toFixed(
        1,
      )} MiB once its handlers loaded their SDK clients (${loaded.file.toFixed(
        1,
      )} MiB of it file-backed; load average ${os.loadavg()[0].toFixed(1)})`,
    );
    if (!results.has(name)) results.set(name, { fresh: [], loaded: [] });
    results.get(name).fresh.push(fresh.rss);
    results.get(name).loaded.push(loaded.rss);
  } finally {
    await preview.stop();
  }
}

const median = values => [...values].sort((a, b) => a - b)[values.length >> 1];
const range = values =>
  `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(
    1,
  )} MiB (median ${median(values).toFixed(1)})`;

async function main() {
  const stub = await connectionsStub();
  const websocket = await websocketFixture();
  const serverless = await serverlessFixture();
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const entry of ENTRIES) {
        useEntry(entry);
        await measureBoth(entry, stub, websocket, serverless);
      }
    }
    console.log(
      `summary of ${RUNS} run(s), fresh | handlers' SDK clients loaded (MiB: 2^20 bytes; 60 MB = 57.2 MiB):`,
    );
    for (const [name, { fresh, loaded }] of results)
      console.log(`  ${name}: ${range(fresh)} | ${range(loaded)}`);
  } finally {
    stub.close();
    fs.rmSync(websocket.root, { recursive: true, force: true });
    fs.rmSync(serverless.root, { recursive: true, force: true });
  }
}

async function measureBoth(entry, stub, websocket, serverless) {
  await measure(
    `WebSocket template, runner ${entry}`,
    websocket,
    {
      WEBSOCKET_CALLBACK_URL: `http://127.0.0.1:${
        stub.address().port
      }/sockets/chat/dev`,
    },
    async preview => {
      for (const id of ['a', 'b']) {
        await preview.invoke('connection', event('$connect', id));
        await preview.invoke(
          'message',
          event('$default', id, { action: 'subscribe', channel: 'c' }),
        );
      }
      const published = await preview.invoke(
        'message',
        event('publish', 'a', { action: 'publish', channel: 'c', data: 1 }),
      );
      if (!published.ok) throw new Error(JSON.stringify(published.error));
    },
  );
  await measure(
    `serverless template, runner ${entry}`,
    serverless,
    {},
    async preview => {
      const intake = await preview.invoke('intake', {
        id: 'bench',
        payload: {},
      });
      if (!intake.ok) throw new Error(JSON.stringify(intake.error));
      // The worker writes the item through the queue; the probe reads it.
      await sleep(2000);
      await preview.invoke('probe', { action: 'get', id: 'bench' });
    },
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
