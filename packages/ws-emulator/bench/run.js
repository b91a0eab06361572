/* eslint-disable */
// Benchmark of the emulator against a bare `ws` server, in one run, checked
// against the targets of the emulator's issue.
//   node bench/run.js [--runs 3] [--rounds 6] [--slice 1500] [--warmup 500]
//                     [--duration 5000] [--skip-memory]
// Every server and the client run in their own processes. In each run all
// throughput servers are up at once and the client interleaves them in
// slices (see client.js), so the ratios compare modes under the same load.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '6' },
    slice: { type: 'string', default: '1500' },
    warmup: { type: 'string', default: '500' },
    duration: { type: 'string', default: '5000' },
    'skip-memory': { type: 'boolean', default: false },
  },
});

// serverless-offline 14.8 on the development machine (low end of each range,
// see README): route responses with --useInProcess, and @connections with
// the SDK.
const SLS_ROUTE_RESPONSE = 5400;
const SLS_CONNECTIONS_SDK = 700;
const TARGETS = {
  routeVsSls: 3 * SLS_ROUTE_RESPONSE,
  routeVsBare: 0.6,
  p99VsBare: 1.5,
  sdk: 2 * SLS_CONNECTIONS_SDK,
  peakRssMB: 150,
  idleKB: 20,
};

const MODES = (
  process.env.BENCH_ONLY ||
  'bare,emulator,emulator-sdk,emulator-sdk-inprocess,emulator-http'
).split(',');

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
      if (m.type === 'ready') resolve({ mode, child, port: m.port });
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

// CPU time (µs) of a server process, all threads.
function cpu(server) {
  return new Promise(resolve => {
    const onMessage = m => {
      if (m.type === 'cpu') {
        server.child.off('message', onMessage);
        resolve(m.micros);
      }
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'cpu' });
  });
}

function runClient(config, onMessage = () => {}) {
  const child = fork(
    path.join(__dirname, 'client.js'),
    [JSON.stringify(config)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
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

const url = server => `ws://127.0.0.1:${server.port}/local`;

// One run: every mode's server up, one client interleaving them.
async function throughput() {
  const servers = [];
  for (const mode of MODES) servers.push(await startServer(mode));
  const cpuBefore = await Promise.all(servers.map(cpu));
  const { targets } = await runClient({
    targets: servers.map(url),
    connections: 100,
    inflight: 4,
    rounds: Number(values.rounds),
    sliceMs: Number(values.slice),
    warmupMs: Number(values.warmup),
  }).done;
  const cpuAfter = await Promise.all(servers.map(cpu));
  for (const server of servers) await stop(server);
  // Server CPU per echo: steadier than echoes/s when other work shares the
  // cores, and it bounds what the server can do on a quiet machine.
  return Object.fromEntries(
    MODES.map((mode, i) => [
      mode,
      {
        ...targets[i],
        cpuMicrosPerEcho: Math.round(
          (cpuAfter[i] - cpuBefore[i]) / targets[i].replies,
        ),
      },
    ]),
  );
}

// Peak server RSS under load, one server alone.
async function load(mode, connections, inflight) {
  const server = await startServer(mode);
  let peak = 0;
  let sampler;
  const client = runClient(
    {
      targets: [url(server)],
      connections,
      inflight,
      rounds: 1,
      sliceMs: Number(values.duration),
      warmupMs: 1000,
    },
    m => {
      if (m.type === 'measuring') {
        sampler = setInterval(async () => {
          peak = Math.max(peak, await rss(server));
        }, 500);
      }
    },
  );
  const [result] = (await client.done).targets;
  clearInterval(sampler);
  const settled = await rss(server);
  peak = Math.max(peak, settled);
  await stop(server);
  return {
    perSecond: result.perSecond,
    errors: result.errors,
    peakRssMB: +(peak / 1048576).toFixed(1),
    rssAfterGcMB: +(settled / 1048576).toFixed(1),
  };
}

async function idle(mode, connections) {
  const server = await startServer(mode);
  const before = await rss(server);
  const client = runClient({
    targets: [url(server)],
    connections,
    inflight: 0,
  });
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

const ms = x => `${x} ms`;
const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const verdict = ok => (ok ? 'PASS' : 'FAIL');

function printRuns(rows) {
  const has = mode => MODES.includes(mode);
  console.log(
    '\nrun | load avg | bare ws echo/s (p99) | route-response echo/s (p99) | route/bare, p99 ratio (median of rounds) | pooled | @connections SDK, worker threads echo/s (p99) | SDK in-process echo/s | plain HTTP echo/s',
  );
  for (const r of rows) {
    const cell = m => (has(m) ? `${r[m].perSecond} (${ms(r[m].p99)})` : '-');
    console.log(
      `${r.run} | ${r.load} | ${cell('bare')} | ${cell('emulator')} | ${
        r.routeVsBare ?? '-'
      }, ${r.p99VsBare ?? '-'} | ${
        r.pooled ? `${r.pooled.routeVsBare}, ${r.pooled.p99VsBare}` : '-'
      } | ${cell('emulator-sdk')} | ${
        has('emulator-sdk-inprocess')
          ? r['emulator-sdk-inprocess'].perSecond
          : '-'
      } | ${has('emulator-http') ? r['emulator-http'].perSecond : '-'}`,
    );
  }
}

function printTargets(rows, memory) {
  const checks = [];
  const perRun = (name, value, ok) => {
    const values = rows.map(value).filter(v => v !== undefined);
    if (values.length === 0) return;
    const passed = rows.filter(r => value(r) !== undefined && ok(value(r)));
    checks.push([
      name,
      `${values.join(' / ')} (${passed.length} of ${values.length} runs)`,
      passed.length === values.length,
    ]);
  };
  if (MODES.includes('emulator')) {
    perRun(
      `route-response echo/s >= 3 x serverless-offline in-process (${TARGETS.routeVsSls})`,
      r => r.emulator.perSecond,
      v => v >= TARGETS.routeVsSls,
    );
  }
  perRun(
    `route-response echo/s >= ${TARGETS.routeVsBare} x bare ws`,
    r => r.routeVsBare,
    v => v >= TARGETS.routeVsBare,
  );
  perRun(
    `p99 <= ${TARGETS.p99VsBare} x bare ws p99`,
    r => r.p99VsBare,
    v => v <= TARGETS.p99VsBare,
  );
  if (MODES.includes('emulator-sdk')) {
    perRun(
      `@connections SDK echo/s >= 2 x serverless-offline (${TARGETS.sdk})`,
      r => r['emulator-sdk'].perSecond,
      v => v >= TARGETS.sdk,
    );
  }
  if (memory) {
    checks.push([
      `1000 connections peak RSS <= ${TARGETS.peakRssMB} MB`,
      `${memory.load.peakRssMB} MB`,
      memory.load.peakRssMB <= TARGETS.peakRssMB,
    ]);
    checks.push([
      `10000 idle connections <= ${TARGETS.idleKB} KB RSS each`,
      `${memory.idle.perConnectionKB} KB`,
      memory.idle.perConnectionKB <= TARGETS.idleKB,
    ]);
  }
  console.log('\ntarget | measured | result');
  for (const [name, measured, ok] of checks) {
    console.log(`${name} | ${measured} | ${verdict(ok)}`);
  }
  const failed = checks.filter(c => !c[2]).length;
  console.log(
    failed === 0
      ? `\nall ${checks.length} targets met`
      : `\n${failed} of ${checks.length} targets missed`,
  );
}

async function main() {
  bundleEmulator();
  const rows = [];
  for (let run = 1; run <= Number(values.runs); run++) {
    const loadBefore = require('node:os').loadavg()[0];
    const result = await throughput();
    const loadAfter = require('node:os').loadavg()[0];
    const row = {
      run,
      load: `${loadBefore.toFixed(1)}-${loadAfter.toFixed(1)}`,
      ...result,
    };
    if (result.bare && result.emulator) {
      // Each round measured the two servers one slice apart: the median of
      // the per-round ratios keeps a load burst during one slice from
      // deciding the run.
      const paired = key =>
        median(
          result.emulator.rounds.map(
            (round, i) => round[key] / result.bare.rounds[i][key],
          ),
        );
      row.routeVsBare = +paired('perSecond').toFixed(2);
      row.p99VsBare = +paired('p99').toFixed(2);
      row.pooled = {
        routeVsBare: +(
          result.emulator.perSecond / result.bare.perSecond
        ).toFixed(2),
        p99VsBare: +(result.emulator.p99 / result.bare.p99).toFixed(2),
      };
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  let memory;
  if (!values['skip-memory']) {
    memory = {
      load: await load('emulator', 1000, 4),
      loadBare: await load('bare', 1000, 4),
      idle: await idle('emulator', 10000),
      idleBare: await idle('bare', 10000),
    };
    console.log(JSON.stringify(memory));
  }
  printRuns(rows);
  if (memory) {
    console.log(
      `\n1000 connections x 4 in flight: emulator ${memory.load.perSecond}/s, peak RSS ${memory.load.peakRssMB} MB (${memory.load.rssAfterGcMB} MB after GC); bare ws ${memory.loadBare.perSecond}/s, peak RSS ${memory.loadBare.peakRssMB} MB`,
    );
    console.log(
      `10000 idle connections: emulator ${memory.idle.perConnectionKB} KB each (${memory.idle.rssMB} MB); bare ws ${memory.idleBare.perConnectionKB} KB each`,
    );
  }
  printTargets(rows, memory);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
