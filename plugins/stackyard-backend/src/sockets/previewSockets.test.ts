import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { startIntegrationServer } from '../__testUtils__/integrationServer';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { closed, nextMessage, openSocket } from '../__testUtils__/wsClient';
import { stackyardPlugin } from '../plugin';
import { localPreview } from '../__testUtils__/localPreview';

jest.setTimeout(60_000);

describe('preview sockets hosted in the backend', () => {
  let integration: Awaited<ReturnType<typeof startIntegrationServer>>;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let base: string;
  let environmentId: string;
  let key: string;

  const websocket = (extraRoutes: Record<string, unknown> = {}) => ({
    routeSelectionExpression: '$request.body.action',
    routes: {
      $connect: { integration: { type: 'http', url: integration.url } },
      $disconnect: {
        integration: { type: 'http', url: integration.url },
      },
      echo: {
        integration: { type: 'http', url: integration.url },
        response: true,
      },
      ...extraRoutes,
    },
  });

  beforeAll(async () => {
    integration = await startIntegrationServer();
    const backend = await startTestBackend({
      features: [
        stackyardPlugin,
        mockServices.scheduler.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    server = backend.server;
    base = `127.0.0.1:${server.port()}`;

    const registered = await request(server)
      .post('/api/stackyard/environments')
      .set('Authorization', mockCredentials.service.header())
      .send({
        ...localPreview(),
        websocket: websocket(),
      });
    if (registered.status !== 201) {
      throw new Error(
        `registration failed: ${JSON.stringify(registered.body)}`,
      );
    }
    environmentId = registered.body.environment.id;

    const rotated = expectConforms(
      'POST',
      '/environments/{id}/sockets/connection-key',
      await request(server)
        .post(
          `/api/stackyard/environments/${environmentId}/sockets/connection-key`,
        )
        .set('Authorization', mockCredentials.user.header()),
    );
    if (rotated.status !== 200) {
      throw new Error(`key creation failed: ${JSON.stringify(rotated.body)}`);
    }
    key = rotated.body.key;
  });

  afterAll(async () => {
    await integration.stop();
  });

  const socketUrl = () =>
    `ws://${base}/api/stackyard/sockets/${environmentId}/dev`;

  it('refuses an upgrade without credentials with an HTTP 401, before $connect runs', async () => {
    const before = integration.events.length;
    const outcome = await openSocket(socketUrl());
    expect(outcome).toMatchObject({ kind: 'refused', status: 401 });
    expect(integration.events.length).toBe(before);
  });

  it('authenticates with a token subprotocol that is never echoed, then runs the API own $connect', async () => {
    const token = mockCredentials.user.token();
    const outcome = await openSocket(socketUrl(), {
      protocols: [`stackyard-token.${token}`, 'chat.v1'],
    });
    expect(outcome.kind).toBe('open');
    if (outcome.kind !== 'open') return;
    expect(outcome.protocol).toBe('chat.v1');
    expect(outcome.headers['sec-websocket-protocol']).toBe('chat.v1');
    const connect = integration.events
      .filter(e => e.requestContext.routeKey === '$connect')
      .pop()!;
    expect(connect.headers?.['Sec-WebSocket-Protocol']).toBe('chat.v1');
    expect(JSON.stringify(connect)).not.toContain(token);
    outcome.ws.close();
    await closed(outcome.ws);
  });

  it('selects the session subprotocol, never the credential one, when $connect selects none', async () => {
    const outcome = await openSocket(socketUrl(), {
      protocols: ['stackyard.v1', `stackyard-key.${key}`],
    });
    expect(outcome.kind).toBe('open');
    if (outcome.kind !== 'open') return;
    expect(outcome.protocol).toBe('stackyard.v1');
    expect(outcome.headers['sec-websocket-protocol']).toBe('stackyard.v1');
    outcome.ws.close();
    await closed(outcome.ws);
  });

  it('keeps the API own $connect refusal after authentication', async () => {
    const outcome = await openSocket(`${socketUrl()}?deny=1`, {
      headers: { 'x-stackyard-connection-key': key },
    });
    expect(outcome).toMatchObject({ kind: 'refused', status: 403 });
    expect(JSON.parse((outcome as { body: string }).body)).toEqual({
      message: 'denied by $connect',
    });
  });

  it('refuses a wrong key and an unknown environment with HTTP responses', async () => {
    await expect(
      openSocket(socketUrl(), {
        headers: { 'x-stackyard-connection-key': 'sykey_wrong' },
      }),
    ).resolves.toMatchObject({ kind: 'refused', status: 401 });
    await expect(
      openSocket(
        `ws://${base}/api/stackyard/sockets/00000000-0000-4000-8000-000000000000/dev`,
        {
          headers: { 'x-stackyard-connection-key': key },
        },
      ),
    ).resolves.toMatchObject({ kind: 'refused', status: 404 });
  });

  it('routes messages, and the inspector shows the connection and its frames', async () => {
    const outcome = await openSocket(socketUrl(), {
      headers: {
        'x-stackyard-connection-key': key,
        'user-agent': 'inspector-test',
      },
    });
    if (outcome.kind !== 'open') throw new Error(`refused ${outcome.status}`);
    const { ws } = outcome;
    const connect = integration.events
      .filter(e => e.requestContext.routeKey === '$connect')
      .pop()!;
    expect(connect.headers).not.toHaveProperty('x-stackyard-connection-key');
    const connectionId = connect.requestContext.connectionId;

    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'echo', n: 1 }));
    await expect(reply).resolves.toBe('echo:{"action":"echo","n":1}');

    const inspected = expectConforms(
      'GET',
      '/environments/{id}/sockets',
      await request(server)
        .get(`/api/stackyard/environments/${environmentId}/sockets?frames=10`)
        .set('Authorization', mockCredentials.user.header()),
    );
    expect(inspected.status).toBe(200);
    expect(inspected.body).toMatchObject({
      path: `/api/stackyard/sockets/${environmentId}/dev`,
      connectionsPath: `/api/stackyard/sockets/${environmentId}/dev/@connections`,
      stage: 'dev',
      routes: { echo: { type: 'http', response: true } },
    });
    expect(inspected.body.connections).toContainEqual(
      expect.objectContaining({ connectionId, userAgent: 'inspector-test' }),
    );
    const frames = inspected.body.recentFrames.filter(
      (f: { connectionId: string }) => f.connectionId === connectionId,
    );
    expect(frames.map((f: { direction: string }) => f.direction)).toEqual([
      'in',
      'out',
    ]);
    expect(frames[0]).toMatchObject({
      routeKey: 'echo',
      preview: '{"action":"echo","n":1}',
    });

    // send through the inspector
    const sent = nextMessage(ws);
    const send = expectConforms(
      'POST',
      '/environments/{id}/sockets/connections/{connectionId}/messages',
      await request(server)
        .post(
          `/api/stackyard/environments/${environmentId}/sockets/connections/${encodeURIComponent(
            connectionId,
          )}/messages`,
        )
        .set('Authorization', mockCredentials.user.header())
        .send({ data: 'from the Infra tab' }),
    );
    expect(send.status).toBe(204);
    await expect(sent).resolves.toBe('from the Infra tab');

    // disconnect through the inspector
    const gone = closed(ws);
    const disconnect = expectConforms(
      'DELETE',
      '/environments/{id}/sockets/connections/{connectionId}',
      await request(server)
        .delete(
          `/api/stackyard/environments/${environmentId}/sockets/connections/${encodeURIComponent(
            connectionId,
          )}`,
        )
        .set('Authorization', mockCredentials.user.header()),
    );
    expect(disconnect.status).toBe(204);
    await expect(gone).resolves.toBe(1000);

    const again = expectConforms(
      'POST',
      '/environments/{id}/sockets/connections/{connectionId}/messages',
      await request(server)
        .post(
          `/api/stackyard/environments/${environmentId}/sockets/connections/${encodeURIComponent(
            connectionId,
          )}/messages`,
        )
        .set('Authorization', mockCredentials.user.header())
        .send({ data: 'late' }),
    );
    expect(again.status).toBe(404);
  });

  it('validates inspector input and needs Backstage credentials', async () => {
    const bad = expectConforms(
      'POST',
      '/environments/{id}/sockets/connections/{connectionId}/messages',
      await request(server)
        .post(
          `/api/stackyard/environments/${environmentId}/sockets/connections/abc/messages`,
        )
        .set('Authorization', mockCredentials.user.header())
        .send({ data: 'x', isBase64Encoded: true, extra: 1 }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/extra/);
    const anonymous = await request(server)
      .get(`/api/stackyard/environments/${environmentId}/sockets`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const none = expectConforms(
      'GET',
      '/environments/{id}/sockets',
      await request(server)
        .get(
          '/api/stackyard/environments/00000000-0000-4000-8000-000000000000/sockets',
        )
        .set('Authorization', mockCredentials.user.header()),
    );
    expect(none.status).toBe(404);
  });

  it('serves @connections to callers with the key, in AWS error form otherwise', async () => {
    const outcome = await openSocket(socketUrl(), {
      headers: { 'x-stackyard-connection-key': key },
    });
    if (outcome.kind !== 'open') throw new Error(`refused ${outcome.status}`);
    const connectionId = integration.events
      .filter(e => e.requestContext.routeKey === '$connect')
      .pop()!.requestContext.connectionId;
    const endpoint = `http://${base}/api/stackyard/sockets/${environmentId}/dev/@connections/${encodeURIComponent(
      connectionId,
    )}`;

    const received = nextMessage(outcome.ws);
    const sigV4 = `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0`;
    const posted = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: sigV4,
        'content-type': 'application/octet-stream',
      },
      body: 'pushed by the service',
    });
    expect(posted.status).toBe(200);
    await expect(received).resolves.toBe('pushed by the service');

    const info = await fetch(endpoint, {
      headers: { 'x-stackyard-connection-key': key },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      identity: { sourceIp: '127.0.0.1' },
    });

    const forbidden = await fetch(endpoint, { method: 'POST', body: 'x' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-amzn-errortype')).toBe(
      'ForbiddenException',
    );

    const gone = closed(outcome.ws);
    const deleted = await fetch(endpoint, {
      method: 'DELETE',
      headers: { 'x-stackyard-connection-key': key },
    });
    expect(deleted.status).toBe(204);
    await gone;
    const after = await fetch(endpoint, {
      headers: { 'x-stackyard-connection-key': key },
    });
    expect(after.status).toBe(410);
    expect(after.headers.get('x-amzn-errortype')).toBe('GoneException');
  });

  it('reaches a connection opened before the routes were re-registered, from the new API', async () => {
    const before = await openSocket(socketUrl(), {
      headers: { 'x-stackyard-connection-key': key },
    });
    if (before.kind !== 'open') throw new Error(`refused ${before.status}`);
    const connectionId = integration.events
      .filter(e => e.requestContext.routeKey === '$connect')
      .pop()!.requestContext.connectionId;

    // Re-registering rebuilds the API; the open connection stays on the
    // emulator it connected to, which now only holds connections.
    const reregistered = await request(server)
      .post('/api/stackyard/environments')
      .set('Authorization', mockCredentials.service.header())
      .send({
        ...localPreview(),
        websocket: websocket({
          ping: { integration: { type: 'http', url: integration.url } },
        }),
      });
    expect(reregistered.status).toBe(200);
    const inspected = await request(server)
      .get(`/api/stackyard/environments/${environmentId}/sockets?frames=0`)
      .set('Authorization', mockCredentials.user.header());
    expect(Object.keys(inspected.body.routes)).toContain('ping');
    expect(
      inspected.body.connections.map(
        (c: { connectionId: string }) => c.connectionId,
      ),
    ).toContain(connectionId);

    const endpoint = `http://${base}/api/stackyard/sockets/${environmentId}/dev/@connections/${encodeURIComponent(
      connectionId,
    )}`;
    const headers = { 'x-stackyard-connection-key': key };
    const received = nextMessage(before.ws);
    const posted = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: 'to the older API',
    });
    expect(posted.status).toBe(200);
    await expect(received).resolves.toBe('to the older API');
    const info = await fetch(endpoint, { headers });
    expect(info.status).toBe(200);

    const gone = closed(before.ws);
    expect((await fetch(endpoint, { method: 'DELETE', headers })).status).toBe(
      204,
    );
    await gone;
    const after = await fetch(endpoint, { headers });
    expect(after.status).toBe(410);
    expect(after.headers.get('x-amzn-errortype')).toBe('GoneException');
  });

  it('refuses in-process module integrations with a clear error', async () => {
    const res = await request(server)
      .post('/api/stackyard/environments')
      .set('Authorization', mockCredentials.service.header())
      .send({
        ...localPreview('qa'),
        websocket: {
          routes: {
            $default: { integration: { type: 'module', handler: 'x.js#h' } },
          },
        },
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /integration.type must be "lambda", "http" or "preview"/,
    );
  });
});
