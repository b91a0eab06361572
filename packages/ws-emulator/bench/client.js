/* eslint-disable */
// Benchmark client process: opens `connections` sockets, keeps `inflight`
// ~100-byte JSON messages in flight on each, and reports throughput and
// latency percentiles over `durationMs` after `warmupMs`. With inflight 0
// it only opens the sockets and holds them (idle), reporting when all are open.
const { WebSocket } = require('ws');

const [url, connections, inflight, durationMs, warmupMs] =
  process.argv.slice(2);
const N = Number(connections);
const K = Number(inflight);
const PAD = 'x'.repeat(40);

let measuring = false;
let count = 0;
let errors = 0;
const latencies = [];
const sockets = [];

function message(id) {
  return `{"action":"echo","id":${id},"t":${performance
    .now()
    .toFixed(3)},"pad":"${PAD}"}`;
}

function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('error', error => {
      errors++;
      reject(error);
    });
    ws.on('message', data => {
      if (K === 0) return;
      const reply = JSON.parse(data.toString());
      if (reply.t === undefined) {
        errors++;
        return;
      }
      if (measuring) {
        count++;
        latencies.push(performance.now() - reply.t);
      }
      ws.send(message(reply.id));
    });
  });
}

async function main() {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(200, N) }, async () => {
      while (next < N) {
        const i = next++;
        sockets.push(await open(i));
      }
    }),
  );
  if (K === 0) {
    process.send({ type: 'open', connections: sockets.length, errors });
    process.on('message', m => {
      if (m.type === 'stop') {
        sockets.forEach(s => s.terminate());
        process.exit(0);
      }
    });
    return;
  }
  let id = 0;
  for (const ws of sockets) for (let k = 0; k < K; k++) ws.send(message(id++));
  await new Promise(r => setTimeout(r, Number(warmupMs)));
  measuring = true;
  const started = performance.now();
  process.send({ type: 'measuring' });
  await new Promise(r => setTimeout(r, Number(durationMs)));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = p =>
    latencies[
      Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))
    ] || 0;
  process.send({
    type: 'result',
    perSecond: Math.round(count / elapsed),
    p50: +pct(50).toFixed(2),
    p99: +pct(99).toFixed(2),
    errors,
    connections: sockets.length,
  });
  sockets.forEach(s => s.terminate());
  process.exit(0);
}

main().catch(error => {
  process.send({ type: 'error', message: String(error) });
  process.exit(1);
});
