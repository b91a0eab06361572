'use strict';

// Benchmark of one local preview: cold start to first invoke, warm invoke
// latency and throughput, and the runner's resident memory when idle.
//   npm run bench -w @stackyard/preview-runtime
const path = require('path');
const fs = require('fs');

const cli = path.dirname(require.resolve('@backstage/cli/package.json'));
require(require.resolve('sucrase/dist/register', {
  paths: [cli],
})).registerTS();
const { serverlessFixture } = require('../src/__testUtils__/serverlessFixture');
const { startPreview } = require('../src');

const rssMb = pid =>
  Number(
    /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1],
  ) / 1024;
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function main() {
  const fixture = await serverlessFixture();
  const options = {
    checkoutDir: fixture.checkoutDir,
    template: fixture.template,
    manifest: fixture.manifest,
  };
  try {
    // Cold: spawn, engines, tables, first handler load and call.
    const colds = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const preview = await startPreview({
        ...options,
        workDir: path.join(fixture.root, `cold-${i}`),
      });
      const first = await preview.invoke('probe', { action: 'echo' });
      if (!first.ok) throw new Error(JSON.stringify(first.error));
      colds.push(performance.now() - started);
      await preview.stop();
    }

    const preview = await startPreview({
      ...options,
      workDir: path.join(fixture.root, 'warm'),
    });
    await sleep(1000);
    const idleFresh = rssMb(preview.pid);
    // Warm latency: sequential calls through IPC.
    for (let i = 0; i < 200; i++)
      await preview.invoke('probe', { action: 'echo', i });
    const latencies = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await preview.invoke('probe', { action: 'echo', i });
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    // Throughput: 100 callers, 4 calls in flight each.
    const total = 20_000;
    let sent = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 400 }, async () => {
        while (sent < total) {
          sent++;
          await preview.invoke('probe', { action: 'echo' });
        }
      }),
    );
    const perSecond = total / ((performance.now() - t0) / 1000);
    // Loads the SDK clients, as a service's first real calls do.
    await preview.invoke('intake', { id: 'bench', payload: {} });
    await preview.invoke('probe', { action: 'get', id: 'bench' });
    await sleep(2000);
    const idleAfterSdk = rssMb(preview.pid);
    await preview.stop();

    const ms = n => `${n.toFixed(1)} ms`;
    console.log(
      `cold start to first invoke: ${colds.map(ms).join(', ')} (min ${ms(
        Math.min(...colds),
      )})`,
    );
    console.log(
      `warm invoke latency: p50 ${ms(percentile(latencies, 0.5))}, p95 ${ms(
        percentile(latencies, 0.95),
      )}, p99 ${ms(percentile(latencies, 0.99))}`,
    );
    console.log(
      `invoke throughput (400 in flight): ${Math.round(perSecond)} invokes/s`,
    );
    console.log(
      `RSS of an idle running preview: ${idleFresh.toFixed(
        1,
      )} MiB fresh, ${idleAfterSdk.toFixed(
        1,
      )} MiB after its handlers loaded the SDK clients`,
    );
  } finally {
    fs.rmSync(fixture.root, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
