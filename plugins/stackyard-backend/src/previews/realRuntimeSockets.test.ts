import { createTestDatabases } from '@stackyard/test-support';
import type { PreviewSocketInspection } from '@stackyard/plugin-stackyard-common';
import request from 'supertest';
import {
  WEBSOCKET_MANIFEST,
  openClient,
  startRealPreviewPortal,
} from '../__testUtils__/realPreviewPortal';

jest.setTimeout(180_000);

// On SQLite only: the database plays no part in what runs.
const databases = createTestDatabases();

const TEMPLATE_ROUTES = {
  $connect: 'connection',
  $disconnect: 'connection',
  $default: 'message',
  publish: 'message',
};

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < 80 && !done(value); i++) {
    await new Promise(r => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe('preview sockets on the real runtime (WebSocket template handlers)', () => {
  it("routes subscribe and publish between two clients through the generated handlers, whose @connections posts take the runner's channel", async () => {
    const portal = await startRealPreviewPortal({
      knex: await databases.init('SQLITE_3'),
    });
    try {
      const preview = await portal.recordPreview('dev', TEMPLATE_ROUTES);
      const subscriber = await openClient(preview.url, preview.key);
      const publisher = await openClient(preview.url, preview.key);
      subscriber.ws.send(
        JSON.stringify({ action: 'subscribe', channel: 'news' }),
      );
      let received: string | undefined;
      for (let i = 0; i < 40 && !received; i++) {
        publisher.ws.send(
          JSON.stringify({ action: 'publish', channel: 'news', data: i }),
        );
        await new Promise(r => setTimeout(r, 250));
        received = subscriber.messages[0];
      }
      const logs = (
        await request(portal.server)
          .get(`/environments/${preview.id}/logs`)
          .set('Authorization', portal.ada)
      ).body;
      expect(received).toEqual(expect.stringContaining('"channel":"news"'));
      expect(logs.tables).toEqual([expect.objectContaining({ items: 2 })]);
      // Posted over the runner's channel: no HTTP request, and the frame
      // shows in the inspector as any post does.
      expect(portal.connectionsOverHttp).toEqual([]);
      const inspection: PreviewSocketInspection = (
        await request(portal.server)
          .get(`/environments/${preview.id}/sockets?frames=50`)
          .set('Authorization', portal.ada)
      ).body;
      expect(inspection.recentFrames).toContainEqual(
        expect.objectContaining({
          direction: 'out',
          preview: received,
        }),
      );
      subscriber.ws.close();
      publisher.ws.close();
    } finally {
      await portal.close();
    }
  });
});

/** A function of the test's: runs the SDK calls of the event, all at once, and says what each came to. */
const PROBE = `'use strict';
const sdk = require('@aws-sdk/client-apigatewaymanagementapi');
exports.handler = async event => {
  const client = new sdk.ApiGatewayManagementApiClient({
    endpoint: event.endpoint || process.env.WEBSOCKET_CALLBACK_URL,
  });
  return Promise.all(event.calls.map(async ([op, id, text]) => {
    try {
      const { $metadata, ...output } = await client.send(
        new sdk[op + 'Command']({ ConnectionId: id, ...(text === undefined ? {} : { Data: text }) }),
      );
      return { status: $metadata.httpStatusCode, ...(output.Identity ? { sourceIp: output.Identity.SourceIp } : {}) };
    } catch (error) {
      return {
        error: error.name,
        status: error.$metadata && error.$metadata.httpStatusCode,
        sdkClass: error.constructor === sdk[error.name],
      };
    }
  }));
};
`;

describe("@connections calls over the preview runner's channel (real runtime)", () => {
  it('answers them as the HTTP path does, in order, and reaches only connections of its own preview', async () => {
    const portal = await startRealPreviewPortal({
      knex: await databases.init('SQLITE_3'),
      manifest: WEBSOCKET_MANIFEST.replace(
        'functions:\n',
        `functions:
  probe:
    handler: index.handler
    code: functions/probe
    timeout: 10
    memorySize: 128
    reservedConcurrency: 1
`,
      ),
      files: { 'functions/probe/index.js': PROBE },
    });
    try {
      const own = await portal.recordPreview('dev', TEMPLATE_ROUTES);
      const other = await portal.recordPreview('preview', TEMPLATE_ROUTES);
      const connectionIds = async (environmentId: string) =>
        (
          (
            await request(portal.server)
              .get(`/environments/${environmentId}/sockets?frames=0`)
              .set('Authorization', portal.ada)
          ).body as PreviewSocketInspection
        ).connections.map(c => c.connectionId);
      const client = await openClient(own.url, own.key);
      const [clientId] = await connectionIds(own.id);
      const stranger = await openClient(other.url, other.key);
      const [strangerId] = await connectionIds(other.id);
      const closing = await openClient(own.url, own.key);
      const closedId = (await connectionIds(own.id)).find(
        id => id !== clientId,
      )!;
      closing.ws.close();
      await until(
        () => connectionIds(own.id),
        ids => !ids.includes(closedId),
      );

      const probe = async (
        calls: Array<[string, string, string?]>,
        endpoint?: string,
      ) => {
        const outcome = await portal.replica.previews!.manager.invoke(
          own.id,
          'probe',
          { calls, endpoint },
        );
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
        return outcome.result as Array<Record<string, unknown>>;
      };
      const burst = Array.from({ length: 20 }, (_, i) => `burst ${i}`);
      const calls = (text: string): Array<[string, string, string?]> => [
        ['PostToConnection', clientId, text],
        ['PostToConnection', closedId, 'late'],
        ['PostToConnection', strangerId, 'intruder'],
        ['GetConnection', clientId],
      ];
      const overChannel = await probe([
        ...calls('over the channel'),
        ...burst.map(
          t => ['PostToConnection', clientId, t] as [string, string, string],
        ),
      ]);
      expect(portal.connectionsOverHttp).toEqual([]);
      // The same API over HTTP: its URL with the id in upper case (ids
      // match case-insensitively) is not the runner's own endpoint string.
      const overHttp = await probe(
        calls('over HTTP'),
        own.callbackUrl.replace(own.id, own.id.toUpperCase()),
      );
      expect(portal.connectionsOverHttp).toHaveLength(4);
      const expected = [
        { status: 200 },
        { error: 'GoneException', status: 410, sdkClass: true },
        // Another preview's connection is not this API's: gone, as over HTTP.
        { error: 'GoneException', status: 410, sdkClass: true },
        { status: 200, sourceIp: '127.0.0.1' },
      ];
      expect(overChannel).toEqual([
        ...expected,
        ...burst.map(() => ({ status: 200 })),
      ]);
      expect(overHttp).toEqual(expected);
      // Calling the other preview's own endpoint with this runner's key is
      // refused, over HTTP as before.
      expect(
        await probe([['PostToConnection', strangerId, 'x']], other.callbackUrl),
      ).toEqual([{ error: 'ForbiddenException', status: 403, sdkClass: true }]);

      await until(
        async () => client.messages.length,
        n => n >= 2 + burst.length,
      );
      expect(client.messages).toEqual([
        'over the channel',
        ...burst,
        'over HTTP',
      ]);
      expect(stranger.messages).toEqual([]);
      client.ws.close();
      stranger.ws.close();
    } finally {
      await portal.close();
    }
  });
});
