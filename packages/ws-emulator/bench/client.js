/* eslint-disable */
// Benchmark client process. Argument: JSON
//   { targets: [url…], connections, inflight, rounds, sliceMs, warmupMs }
// Opens `connections` sockets to every target. Then, `rounds` times, gives
// each target a slice in turn (the order rotates every round): `inflight`
// ~100-byte JSON messages in flight on each of its sockets, `warmupMs`
// unmeasured, `sliceMs` measured, then a drain until every reply arrived.
// Interleaving the targets in short slices puts them under the same
// background load, which keeps ratios between them steady on a busy machine.
// An extra first round warms every server up and is not measured.
// Reports per target: echoes/s, p50, p99 (over all measured slices), the
// echoes/s and p99 of each round, and the replies received in all (warm-up
// included). With inflight 0 it only opens the sockets and holds
// them (idle), reporting when all are open.
const { WebSocket } = require('ws');

const config = JSON.parse(process.argv[2]);
const { targets, connections: N, inflight: K } = config;
const PAD = 'x'.repeat(40);

function message(id) {
  return `{"action":"echo","id":${id},"t":${performance
    .now()
    .toFixed(3)},"pad":"${PAD}"}`;
}

// One target's sockets and counters.
function createTarget(url) {
  return {
    url,
    sockets: [],
    sending: false,
    measuring: false,
    outstanding: 0,
    replies: 0,
    count: 0,
    errors: 0,
    latencies: [],
    measuredMs: 0,
    rounds: [],
    onDrained: undefined,
  };
}

function open(target) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target.url, { perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('error', error => {
      target.errors++;
      reject(error);
    });
    ws.on('message', data => {
      if (K === 0) return;
      target.outstanding--;
      target.replies++;
      const reply = JSON.parse(data.toString());
      if (reply.t === undefined) {
        target.errors++;
      } else if (target.measuring) {
        target.count++;
        target.latencies.push(performance.now() - reply.t);
      }
      if (target.sending) {
        target.outstanding++;
        ws.send(message(reply.id));
      } else if (target.outstanding === 0 && target.onDrained) {
        target.onDrained();
      }
    });
  });
}

async function openAll(target) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(200, N) }, async () => {
      while (next < N) {
        next++;
        target.sockets.push(await open(target));
      }
    }),
  );
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function slice(target, measured) {
  target.sending = true;
  let id = 0;
  for (const ws of target.sockets) {
    for (let k = 0; k < K; k++) {
      target.outstanding++;
      ws.send(message(id++));
    }
  }
  await sleep(config.warmupMs);
  const before = target.count;
  const firstLatency = target.latencies.length;
  const started = performance.now();
  target.measuring = measured;
  await sleep(config.sliceMs);
  target.measuring = false;
  target.sending = false;
  const elapsed = performance.now() - started;
  if (measured) {
    target.measuredMs += elapsed;
    target.rounds.push({
      perSecond: Math.round(((target.count - before) * 1000) / elapsed),
      p99: +percentile(
        target.latencies.slice(firstLatency).sort((a, b) => a - b),
        99,
      ).toFixed(2),
    });
  }
  if (target.outstanding > 0) {
    await Promise.race([
      new Promise(resolve => (target.onDrained = resolve)),
      sleep(30000),
    ]);
    target.onDrained = undefined;
  }
}

function percentile(sorted, p) {
  return (
    sorted[
      Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
    ] || 0
  );
}

function summary(target) {
  const latencies = target.latencies.sort((a, b) => a - b);
  const pct = p => percentile(latencies, p);
  return {
    url: target.url,
    perSecond: Math.round((target.count * 1000) / target.measuredMs),
    replies: target.replies,
    rounds: target.rounds,
    p50: +pct(50).toFixed(2),
    p99: +pct(99).toFixed(2),
    errors: target.errors,
    connections: target.sockets.length,
  };
}

async function main() {
  const all = targets.map(createTarget);
  for (const target of all) await openAll(target);
  if (K === 0) {
    process.send({
      type: 'open',
      connections: all[0].sockets.length,
      errors: all[0].errors,
    });
    process.on('message', m => {
      if (m.type === 'stop') {
        all.forEach(t => t.sockets.forEach(s => s.terminate()));
        process.exit(0);
      }
    });
    return;
  }
  for (let round = 0; round <= config.rounds; round++) {
    for (let i = 0; i < all.length; i++) {
      const target = all[(round + i) % all.length];
      if (round === 1 && i === 0) process.send({ type: 'measuring' });
      await slice(target, round > 0);
    }
  }
  process.send({ type: 'result', targets: all.map(summary) });
  all.forEach(t => t.sockets.forEach(s => s.terminate()));
  process.exit(0);
}

main().catch(error => {
  process.send({ type: 'error', message: String(error) });
  process.exit(1);
});
