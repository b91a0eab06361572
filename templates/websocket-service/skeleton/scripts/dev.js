'use strict';

// Runs the service locally against the Stackyard WebSocket emulator: the
// routes are stackyard.yaml's (the same file the stack is built from), the
// handlers run in this process with an in-memory connections table instead
// of DynamoDB, and publish goes through the emulator's @connections API, as
// on AWS (routes are one-way, as deployed: replies come through @connections).
//   npm run dev   then connect with e.g. `npx wscat -c <url>` and send
//   {"action":"subscribe","channel":"news"} / {"action":"publish","channel":"news","data":"hi"}
const path = require('node:path');
const { startManifestServer } = require('@stackyard/ws-emulator');
const connection = require('../functions/connection');
const message = require('../functions/message');

function memoryStore() {
  const connections = new Map();
  return {
    put: async item => connections.set(item.connectionId, item),
    remove: async id => connections.delete(id),
    subscribe: async (id, channel) => connections.get(id)?.channels.push(channel),
    subscribers: async channel =>
      [...connections.values()].filter(c => c.channels.includes(channel)).map(c => c.connectionId),
  };
}

async function main() {
  const store = memoryStore();
  let server;
  const post = async (connectionId, data) => {
    const res = await fetch(`${server.connectionsEndpoint}/@connections/${encodeURIComponent(connectionId)}`, {
      method: 'POST',
      body: data,
    });
    if (res.status === 410) throw Object.assign(new Error('gone'), { name: 'GoneException' });
    if (!res.ok) throw new Error(`@connections answered ${res.status}`);
  };
  server = await startManifestServer({
    manifest: path.resolve(__dirname, '..'),
    // By function name in stackyard.yaml; port and the rest from its websocket.emulator section, if any.
    handlers: {
      connection: connection.createHandler({ store }),
      message: message.createHandler({ store, post }),
    },
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  });
  process.stdout.write(`WebSocket API: ${server.url}\n@connections:  ${server.connectionsEndpoint}\n`);
  process.on('SIGINT', () => server.close().then(() => process.exit(0)));
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
