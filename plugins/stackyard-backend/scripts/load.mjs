// Open-loop load generator for the benchmark: sends GET requests at a fixed
// rate (not waiting for answers), then prints latency percentiles as JSON.
// Usage: node load.mjs <baseUrl> <ratePerSecond> <seconds> <entityCount> <authHeader>
import http from 'node:http';

const [baseUrl, rateArg, secondsArg, entitiesArg, auth] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const entities = Number(entitiesArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const latencies = [];
let failures = 0;

function once(i) {
  return new Promise(resolve => {
    const entity = `component:default/svc-${(i * 7919) % entities}`;
    const url = `${baseUrl}/environments?entityRef=${encodeURIComponent(
      entity,
    )}`;
    const started = process.hrtime.bigint();
    const req = http.get(
      url,
      { agent, headers: { authorization: auth } },
      res => {
        res.resume();
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode === 200) latencies.push(ms);
          else failures += 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      failures += 1;
      resolve();
    });
  });
}

const total = rate * seconds;
const pending = [];
const start = performance.now();
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise(r => setTimeout(r, wait));
  pending.push(once(i));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = p =>
  latencies[
    Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))
  ];
console.log(
  JSON.stringify({
    requests: total,
    ok: latencies.length,
    failures,
    achievedRate: Math.round(total / elapsed),
    p50: +pct(50).toFixed(2),
    p95: +pct(95).toFixed(2),
    p99: +pct(99).toFixed(2),
    max: +latencies[latencies.length - 1].toFixed(2),
  }),
);
agent.destroy();
