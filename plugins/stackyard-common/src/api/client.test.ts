import { StackyardApiError, StackyardClient } from './client';
import { listEnvironmentsQuerySchema } from './schemas';

function clientAnswering(status: number, body: unknown) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => ({
    ok: status < 400,
    status,
    text: async () => JSON.stringify(body),
  }));
  const client = new StackyardClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/stackyard' },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

describe('StackyardClient', () => {
  it('registers a deployment with the given token', async () => {
    const { client, fetch } = clientAnswering(201, {
      environment: {},
      operation: {},
    });
    await client.registerDeployment(
      {
        entityRef: 'component:default/orders',
        target: 'local',
        prefix: 'orders',
        stage: 'dev',
        stackName: 'orders-dev',
        status: 'ready',
      },
      { token: 'service-token' },
    );
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/stackyard/environments');
    expect(init).toMatchObject({
      method: 'POST',
      headers: {
        Authorization: 'Bearer service-token',
        'Content-Type': 'application/json',
      },
    });
    expect(JSON.parse(String(init?.body)).stackName).toBe('orders-dev');
  });

  it('encodes list filters as query parameters', async () => {
    const { client, fetch } = clientAnswering(200, { items: [] });
    await client.listEnvironments({
      entityRef: 'component:default/orders',
      limit: 10,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/stackyard/environments?entityRef=component%3Adefault%2Forders&limit=10',
    );
  });

  it('sends boolean filters as true/false, which the backend parses back', async () => {
    const { client, fetch } = clientAnswering(200, { items: [] });
    await client.listEnvironments({
      entityMissing: true,
      drifted: false,
      expiringWithinHours: 24,
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.search).toBe(
      '?entityMissing=true&drifted=false&expiringWithinHours=24',
    );
    expect(
      listEnvironmentsQuerySchema.parse(Object.fromEntries(url.searchParams)),
    ).toMatchObject({
      entityMissing: true,
      drifted: false,
      expiringWithinHours: 24,
    });
  });

  it('lists orphans and tears one down', async () => {
    const { client, fetch } = clientAnswering(200, { items: [] });
    await client.listOrphans({ target: 'sandbox', limit: 2 });
    await client.teardownOrphan('orphan 1', { token: 'user-token' });
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method])).toEqual([
      ['http://backend/api/stackyard/orphans?target=sandbox&limit=2', 'GET'],
      ['http://backend/api/stackyard/orphans/orphan%201/teardown', 'POST'],
    ]);
    expect(fetch.mock.calls[1][1]?.headers).toMatchObject({
      Authorization: 'Bearer user-token',
    });
  });

  it('throws the backend error message and status', async () => {
    const { client } = clientAnswering(409, {
      error: { name: 'ConflictError', message: 'Environment "x" is protected' },
    });
    const error = await client.teardown('id').catch(e => e);
    expect(error).toBeInstanceOf(StackyardApiError);
    expect(error).toMatchObject({
      status: 409,
      errorName: 'ConflictError',
      message: 'Environment "x" is protected',
    });
  });

  it('asks for the stack resources of an environment', async () => {
    const { client, fetch } = clientAnswering(200, {
      items: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue' }],
      source: 'synthesized',
    });
    const resources = await client.getResources('env 1');
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/stackyard/environments/env%201/resources',
    );
    expect(resources.items[0].logicalId).toBe('Queue');
  });

  it('passes the frames option of the socket inspector, and leaves it out when unset', async () => {
    const { client, fetch } = clientAnswering(200, {});
    await client.getSockets('env-1', { frames: 20 }, { token: 't' });
    await client.getSockets('env-1');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend/api/stackyard/environments/env-1/sockets?frames=20',
      'http://backend/api/stackyard/environments/env-1/sockets',
    ]);
    expect(fetch.mock.calls[0][1]?.headers).toMatchObject({
      Authorization: 'Bearer t',
    });
  });
});
