import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A WebSocket event as an integration receives it (the fields tests read). */
export type ReceivedEvent = {
  requestContext: {
    routeKey: string;
    eventType: string;
    connectionId: string;
    stage: string;
  };
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: string;
};

/**
 * A loopback `http` integration: records every event and answers as a
 * Lambda proxy: `$connect` refuses with 403 when the query has `deny`, and
 * selects `chat.v1` when offered; the `echo` route returns the body.
 */
export async function startIntegrationServer() {
  const events: ReceivedEvent[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(
        Buffer.concat(chunks).toString('utf8'),
      ) as ReceivedEvent;
      events.push(event);
      const answer = (result: object) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(result));
      switch (event.requestContext.routeKey) {
        case '$connect': {
          if (event.queryStringParameters?.deny) {
            answer({
              statusCode: 403,
              body: JSON.stringify({ message: 'denied by $connect' }),
            });
            return;
          }
          const offered = event.headers?.['Sec-WebSocket-Protocol'] ?? '';
          answer({
            statusCode: 200,
            ...(offered
              .split(',')
              .map(p => p.trim())
              .includes('chat.v1') && {
              headers: { 'Sec-WebSocket-Protocol': 'chat.v1' },
            }),
          });
          return;
        }
        case 'echo':
          answer({ statusCode: 200, body: `echo:${event.body}` });
          return;
        default:
          answer({ statusCode: 200 });
      }
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
