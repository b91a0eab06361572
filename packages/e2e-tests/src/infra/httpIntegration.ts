import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A WebSocket event as the hosted API posts it (the fields the test reads). */
export type IntegrationEvent = {
  requestContext: { routeKey: string; eventType: string; connectionId: string };
  body?: string;
};

/**
 * A loopback `http` integration for a hosted WebSocket API: records every
 * event and answers as a Lambda proxy with 200 and no body, so the client
 * receives only what the test sends it.
 */
export async function startHttpIntegration() {
  const events: IntegrationEvent[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ statusCode: 200 }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    events,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
