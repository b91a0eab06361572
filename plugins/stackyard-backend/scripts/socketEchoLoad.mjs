// Closed-loop WebSocket echo load for scripts/previewSocketBenchmark.ts, in
// its own process so the backend's CPU time is the backend's alone:
// each connection keeps `inFlight` messages outstanding, answering every
// echo with the next message. Prints `measuring` when the measured window
// starts, then one JSON line `{ echoed, ms }`.
// Usage: node socketEchoLoad.mjs <url> <headersJson> <connections> <inFlight> <warmupMs> <ms> <message>
import { WebSocket } from 'ws';

const [
  url,
  headersJson,
  connectionsArg,
  inFlightArg,
  warmupArg,
  msArg,
  message,
] = process.argv.slice(2);
const headers = JSON.parse(headersJson);

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
}

const sockets = await Promise.all(
  Array.from({ length: Number(connectionsArg) }, open),
);
const counts = { echoed: 0, running: true };
for (const ws of sockets) {
  ws.on('message', () => {
    counts.echoed += 1;
    if (counts.running) ws.send(message);
  });
  for (let i = 0; i < Number(inFlightArg); i++) ws.send(message);
}
await new Promise(r => setTimeout(r, Number(warmupArg)));
process.stdout.write('measuring\n');
const start = counts.echoed;
const began = performance.now();
await new Promise(r => setTimeout(r, Number(msArg)));
const result = {
  echoed: counts.echoed - start,
  ms: performance.now() - began,
};
counts.running = false;
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const ws of sockets) ws.terminate();
