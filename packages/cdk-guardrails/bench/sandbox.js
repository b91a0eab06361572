'use strict';

/*
 * Benchmark of sandboxed synthesis (manifest extension, SandboxPool) beside
 * in-process synthesis of the same service without its extension, in one run:
 * the reference service, and the same service plus an extension adding an SNS
 * topic, through synthInSandbox with one pre-warmed spare. Runs are spaced
 * so the spare is warm again (as between wizard tasks); warm medians compared.
 *
 * Usage: node bench/sandbox.js [--runs N]
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function main() {
  const { synthService, synthInSandbox, SandboxPool } = require('./load');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stackyard-bench-sandbox-'));
  const plain = path.resolve(__dirname, '../fixtures/reference-service');
  const extended = path.join(scratch, 'extended');
  fs.cpSync(plain, extended, { recursive: true });
  fs.appendFileSync(path.join(extended, 'stackyard.yaml'), '\nextension: ext.js\n');
  fs.writeFileSync(
    path.join(extended, 'ext.js'),
    "const sns = require('aws-cdk-lib/aws-sns');\nmodule.exports = s => { new sns.Topic(s.stack, 'Events'); };\n",
  );
  const pool = SandboxPool.create({ tmpRoot: scratch });
  const inProcess = [];
  const sandboxed = [];
  try {
    for (let i = 0; i < 3; i++) await synthService({ appDir: plain, prefix: 'wo-42', stage: 'dev' });
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const a = await synthService({ appDir: plain, prefix: 'wo-42', stage: 'dev' });
      inProcess.push(performance.now() - t);
      // Let the spare finish warming up, as it does between wizard tasks.
      await sleep(6000);
      t = performance.now();
      const b = await synthInSandbox(pool, { appDir: extended, prefix: 'wo-42', stage: 'dev' });
      sandboxed.push(performance.now() - t);
      if (!a.ok || !b.ok || !b.stacks[0].resourcesByType['AWS::SNS::Topic']) {
        throw new Error('unexpected synthesis result');
      }
    }
  } finally {
    await pool.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const r = {
    machine: `${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}`,
    runs: RUNS,
    inProcessWarmMedianMs: Math.round(median(inProcess)),
    sandboxWarmMedianMs: Math.round(median(sandboxed)),
    ratio: Number((median(sandboxed) / median(inProcess)).toFixed(2)),
    loadAverage: os.loadavg().map(l => l.toFixed(2)).join(' '),
  };
  console.log(`| measure | value | target |
| --- | --- | --- |
| in-process synth + policy, manifest only (warm median of ${RUNS}) | ${r.inProcessWarmMedianMs} ms | — |
| sandboxed synth + policy, with extension (warm spare, median of ${RUNS}) | ${r.sandboxWarmMedianMs} ms | — |
| sandbox / in-process | ${r.ratio}× | ≤ 2× ${r.ratio <= 2 ? '✔' : '✘'} |

Machine: ${r.machine}; load average ${r.loadAverage}`);
  console.log(JSON.stringify(r));
}

main().catch(e => {
  console.error(e);
  process.exitCode = 2;
});
