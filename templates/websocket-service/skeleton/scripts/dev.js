'use strict';

// Runs the service locally against the Stackyard WebSocket emulator: the
// handlers run in this process with an in-memory connections table, and
// publish goes through the emulator's @connections API, as on AWS.
//   npm run dev   then connect with e.g. `npx wscat -c <url>` and send
//   {"action":"subscribe","channel":"news"} / {"action":"publish","channel":"news","data":"hi"}
const { startWebSocketApiServer, moduleIntegration } = require('@stackyard/ws-emulator');
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
  const onConnection = moduleIntegration({ name: 'connection', handler: connection.createHandler({ store }) });
  const onMessage = moduleIntegration({ name: 'message', handler: message.createHandler({ store, post }) });
  server = await startWebSocketApiServer({
    port: Number(process.env.PORT || 3001),
    routeSelectionExpression: '$request.body.action',
    routes: {
      $connect: { integration: onConnection },
      $disconnect: { integration: onConnection },
      $default: { integration: onMessage, response: true },
      publish: { integration: onMessage, response: true },
    },
  });
  process.stdout.write(`WebSocket API: ${server.url}\n@connections:  ${server.connectionsEndpoint}\n`);
  process.on('SIGINT', () => server.close().then(() => process.exit(0)));
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
