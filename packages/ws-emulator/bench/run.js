/* eslint-disable */
// Benchmark of the emulator against a bare `ws` server, in one run.
//   node bench/run.js [--runs 3] [--duration 5000] [--skip-memory]
// Each server and each client runs in its own process.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '1500' },
    'skip-memory': { type: 'boolean', default: false },
  },
});

// Bundle the TypeScript sources once into plain JavaScript for the servers.
function bundleEmulator() {
  // Beside the sources, so the bundle resolves dependencies from node_modules.
  const dir = fs.mkdtempSync(path.join(__dirname, '.bundle-'));
  const outfile = path.join(dir, 'emulator.js');
  require('esbuild').buildSync({
    entryPoints: [path.join(__dirname, '../src/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Dependencies load from node_modules, as they do for the published
    // package (and for the bare server).
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  process.env.BENCH_EMULATOR_BUNDLE = outfile;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}

function startServer(mode) {
  const child = fork(path.join(__dirname, 'server.js'), [mode], {
    execArgv: [
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', m => {
      if (m.type === 'ready') resolve({ child, port: m.port });
    });
    child.once('exit', code =>
      reject(new Error(`server ${mode} exited ${code}`)),
    );
  });
}

function rss(server) {
  return new Promise(resolve => {
    const onMessage = m => {
      if (m.type === 'rss') {
        server.child.off('message', onMessage);
        resolve(m.rss);
      }
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'rss' });
  });
}

function runClient(port, connections, inflight, onMessage = () => {}) {
  const child = fork(
    path.join(__dirname, 'client.js'),
    [
      `ws://127.0.0.1:${port}/local`,
      String(connections),
      String(inflight),
      values.duration,
      values.warmup,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return {
    child,
    done: new Promise((resolve, reject) => {
      child.on('message', m => {
        onMessage(m, child);
        if (m.type === 'result' || m.type === 'open') resolve(m);
        if (m.type === 'error') reject(new Error(m.message));
      });
      child.once(
        'exit',
        code => code && reject(new Error(`client exited ${code}`)),
      );
    }),
  };
}

async function stop(server) {
  const exited = new Promise(resolve => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

async function load(mode, connections, inflight) {
  const server = await startServer(mode);
  let peak = 0;
  let sampler;
  const client = runClient(server.port, connections, inflight, m => {
    if (m.type === 'measuring') {
      sampler = setInterval(async () => {
        peak = Math.max(peak, await rss(server));
      }, 500);
    }
  });
  const result = await client.done;
  clearInterval(sampler);
  const settled = await rss(server);
  peak = Math.max(peak, await rss(server));
  await stop(server);
  return {
    ...result,
    peakRssMB: +(peak / 1048576).toFixed(1),
    rssAfterGcMB: +(settled / 1048576).toFixed(1),
  };
}

async function idle(mode, connections) {
  const server = await startServer(mode);
  const before = await rss(server);
  const client = runClient(server.port, connections, 0);
  const opened = await client.done;
  await new Promise(r => setTimeout(r, 500));
  const after = await rss(server);
  client.child.send({ type: 'stop' });
  await stop(server);
  return {
    connections: opened.connections,
    errors: opened.errors,
    rssMB: +(after / 1048576).toFixed(1),
    perConnectionKB: +((after - before) / opened.connections / 1024).toFixed(2),
  };
}

async function main() {
  bundleEmulator();
  const runs = Number(values.runs);
  const rows = [];
  for (let run = 1; run <= runs; run++) {
    const only = process.env.BENCH_ONLY;
    const skipped = { perSecond: 0, p99: 0 };
    const bare =
      !only || only === 'bare' ? await load('bare', 100, 4) : skipped;
    const emulator =
      !only || only === 'emulator' ? await load('emulator', 100, 4) : skipped;
    const sdk =
      !only || only === 'emulator-sdk'
        ? await load('emulator-sdk', 100, 4)
        : skipped;
    const http =
      !only || only === 'emulator-http'
        ? await load('emulator-http', 100, 4)
        : skipped;
    const row = {
      run,
      bare,
      emulator,
      sdk,
      http,
      routeVsBare: +(emulator.perSecond / bare.perSecond).toFixed(2),
      p99VsBare: +(emulator.p99 / bare.p99).toFixed(2),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  if (!values['skip-memory']) {
    const scenarios = [
      [
        '1000 connections x 4 in flight (emulator)',
        () => load('emulator', 1000, 4),
      ],
      ['1000 connections x 4 in flight (bare ws)', () => load('bare', 1000, 4)],
      ['10000 idle connections (emulator)', () => idle('emulator', 10000)],
      ['10000 idle connections (bare ws)', () => idle('bare', 10000)],
    ];
    for (const [scenario, measure] of scenarios) {
      console.log(JSON.stringify({ scenario, ...(await measure()) }));
    }
  }
  console.log(
    '\nrun | bare ws echo/s (p99) | emulator route-response echo/s (p99) | ratio | p99 ratio | @connections SDK echo/s (p99) | @connections plain HTTP echo/s (p99)',
  );
  for (const r of rows) {
    console.log(
      `${r.run} | ${r.bare.perSecond} (${r.bare.p99} ms) | ${r.emulator.perSecond} (${r.emulator.p99} ms) | ${r.routeVsBare} | ${r.p99VsBare} | ${r.sdk.perSecond} (${r.sdk.p99} ms) | ${r.http.perSecond} (${r.http.p99} ms)`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
