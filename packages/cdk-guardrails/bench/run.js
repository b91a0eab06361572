'use strict';

/*
 * Benchmark of in-process synthesis + safety policy (synthService) for a
 * fixture service: by default the reference service (3 functions, 2 queues,
 * 2 tables, 1 WebSocket API), or with `--app container-service` the
 * container system (VPC, 2 Fargate services and an ALB, PostgreSQL, Redis,
 * an HTTP API and a function):
 *   - cold: a fresh process per synth (module loading included)
 *   - warm: repeated synths in one process
 *   - the same app through `cdk synth` (aws-cdk CLI) as a subprocess
 *   - RSS (and JS heap) growth and leftover temporary directories over 200
 *     synths, both after GC, from the end of the warm runs to the end
 *
 * Usage: node --expose-gc bench/run.js [--app FIXTURE] [--warm N] [--cli N] [--cold N] [--soak N]
 * Prints a Markdown table and the raw numbers as JSON.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'reference-service' },
    warm: { type: 'string', default: '30' },
    cli: { type: 'string', default: '5' },
    cold: { type: 'string', default: '3' },
    soak: { type: 'string', default: '200' },
  },
});
const WARM = Number(values.warm);
const CLI = Number(values.cli);
const COLD = Number(values.cold);
const SOAK = Number(values.soak);

// The warm-synth target per fixture (issue targets).
const WARM_TARGET_MS = { 'reference-service': 150, 'container-service': 250 };
const APP = values.app;
if (!(APP in WARM_TARGET_MS)) {
  throw new Error(`unknown --app ${JSON.stringify(APP)}: use one of ${Object.keys(WARM_TARGET_MS).join(', ')}`);
}
// cold.js and reference-app.js read the fixture from the environment.
process.env.STACKYARD_BENCH_APP = APP;

const here = __dirname;
const appDir = path.resolve(here, '../fixtures', APP);
const cdkBin = require.resolve('aws-cdk/bin/cdk');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function p95(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}
function gc() {
  if (global.gc) {
    global.gc();
    global.gc();
  }
}
function tmpEntries() {
  return new Set(fs.readdirSync(os.tmpdir()));
}

// RSS after a full GC moves by tens of MB from one synth to the next as the
// allocator keeps or returns pages; the median over a few synths is stable.
async function settledRss(once, samples = 5) {
  const rss = [];
  for (let i = 0; i < samples; i++) {
    await once();
    gc();
    rss.push(process.memoryUsage().rss);
  }
  return median(rss);
}

async function main() {
  // A private temp root, inherited by the subprocesses, so leftovers are
  // ours and not other processes' files in a shared /tmp.
  const sharedTmp = os.tmpdir();
  const privateTmp = fs.mkdtempSync(path.join(sharedTmp, 'stackyard-bench-'));
  process.env.TMPDIR = privateTmp;
  const tmpBefore = tmpEntries();

  // Cold: fresh processes.
  const cold = [];
  for (let i = 0; i < COLD; i++) {
    const out = execFileSync(process.execPath, [path.join(here, 'cold.js')], { encoding: 'utf8' });
    cold.push(JSON.parse(out));
  }

  // `cdk synth` subprocess of the same app.
  const cli = [];
  for (let i = 0; i < CLI; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackyard-bench-cli-'));
    const started = performance.now();
    execFileSync(
      process.execPath,
      [cdkBin, 'synth', '--app', `node ${path.join(here, 'reference-app.js')}`, '--output', outdir, '--quiet', '--no-notices', '--no-version-reporting', '--ci'],
      { cwd: here, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' } },
    );
    cli.push(performance.now() - started);
    fs.rmSync(outdir, { recursive: true, force: true });
  }

  // Warm: in-process repeats.
  const { synthService, SYNTH_TMP_PREFIX } = require('./load');
  const once = () => synthService({ appDir, prefix: 'wo-42', stage: 'dev' });
  for (let i = 0; i < 3; i++) {
    const r = await once();
    if (!r.ok) throw new Error(`${APP} has findings: ${JSON.stringify(r.findings)}`);
  }
  const warm = [];
  for (let i = 0; i < WARM; i++) {
    const started = performance.now();
    await once();
    warm.push(performance.now() - started);
  }

  // Soak: RSS growth and leftover temp dirs over SOAK synths.
  const rssStart = await settledRss(once);
  const { heapUsed: heapStart } = process.memoryUsage();
  let rssPeak = rssStart;
  for (let i = 0; i < SOAK - 5; i++) {
    await once();
    if (i % 20 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const rssEnd = await settledRss(once);
  const { heapUsed: heapEnd } = process.memoryUsage();
  const leftovers = [...tmpEntries()].filter(e => !tmpBefore.has(e));
  const synthLeftovers = leftovers.filter(e => e.startsWith(SYNTH_TMP_PREFIX));

  const MB = 1024 * 1024;
  const results = {
    app: APP,
    machine: `${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}`,
    coldTotalMsMedian: median(cold.map(c => c.totalMs)),
    coldSynthMsMedian: median(cold.map(c => c.synthMs)),
    warmMsMedian: Math.round(median(warm)),
    warmMsP95: Math.round(p95(warm)),
    cdkSynthSubprocessMsMedian: Math.round(median(cli)),
    speedupWarmVsCli: Number((median(cli) / median(warm)).toFixed(1)),
    soakSynths: SOAK,
    rssGrowthMb: Number(((rssEnd - rssStart) / MB).toFixed(1)),
    rssPeakGrowthMb: Number(((rssPeak - rssStart) / MB).toFixed(1)),
    heapUsedGrowthMb: Number(((heapEnd - heapStart) / MB).toFixed(1)),
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'default',
    gcExposed: Boolean(global.gc),
    leftoverTempEntries: leftovers.length,
    leftoverSynthDirs: synthLeftovers.length,
    leftoverNames: leftovers.slice(0, 10),
  };
  const pass = {
    warmMedian: results.warmMsMedian <= WARM_TARGET_MS[APP],
    speedup: results.speedupWarmVsCli >= 20,
    rss: results.rssGrowthMb <= 50,
    tempDirs: results.leftoverSynthDirs === 0 && results.leftoverTempEntries === 0,
  };
  console.log(`| measure | value | target |
| --- | --- | --- |
| cold synth + policy, fresh process (median of ${COLD}, incl. module load) | ${results.coldTotalMsMedian} ms | — |
| cold synthService call alone (median of ${COLD}) | ${results.coldSynthMsMedian} ms | — |
| warm synth + policy (median of ${WARM}) | ${results.warmMsMedian} ms (p95 ${results.warmMsP95} ms) | ≤ ${WARM_TARGET_MS[APP]} ms ${pass.warmMedian ? '✔' : '✘'} |
| \`cdk synth\` subprocess, aws-cdk CLI (median of ${CLI}) | ${results.cdkSynthSubprocessMsMedian} ms | — |
| speed-up warm vs CLI | ${results.speedupWarmVsCli}× | ≥ 20× ${pass.speedup ? '✔' : '✘'} |
| RSS growth over ${SOAK} synths (after GC, median of 5 synths at each end) | ${results.rssGrowthMb} MB (peak +${results.rssPeakGrowthMb} MB) | ≤ 50 MB ${pass.rss ? '✔' : '✘'} |
| JS heap (heapUsed) growth over ${SOAK} synths (after GC) | ${results.heapUsedGrowthMb} MB | — |
| leftover temp entries / synth dirs | ${results.leftoverTempEntries} / ${results.leftoverSynthDirs} | 0 ${pass.tempDirs ? '✔' : '✘'} |

App: ${APP}; machine: ${results.machine}`);
  console.log(JSON.stringify(results, null, 2));
  fs.rmSync(privateTmp, { recursive: true, force: true });
  process.exitCode = Object.values(pass).every(Boolean) ? 0 : 1;
}

main().catch(e => {
  console.error(e);
  process.exitCode = 2;
});
