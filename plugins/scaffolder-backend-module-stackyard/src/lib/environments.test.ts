import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  BackendStackyardEnvironments,
  synthesizedResources,
} from './environments';

/** A fetch that answers from a table and records requests; no network. */
function fakeFetch(
  answers: Record<string, { status: number; body: unknown }[]>,
) {
  const calls: {
    method: string;
    url: string;
    auth?: string;
    body?: unknown;
  }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    const headers = init.headers as Record<string, string>;
    calls.push({
      method,
      url,
      auth: headers.Authorization,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const queue = answers[`${method} ${url}`];
    const answer = queue?.shift() ?? {
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'no route' } },
    };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as unknown as typeof fetch;
  return { calls, fetchApi: { fetch: fetchFn } };
}

const environment = (id: string, stackName: string) => ({
  id,
  entityRef: 'component:default/orders',
  target: 'local',
  stackName,
});

describe('BackendStackyardEnvironments (fake fetch, mock auth)', () => {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async () => 'http://backend.test/api/stackyard',
  });
  const auth = mockServices.auth();

  it("registers deployments on behalf of the task's initiator, so the backend decides and audits that person", async () => {
    const { calls, fetchApi } = fakeFetch({
      'POST http://backend.test/api/stackyard/environments': [
        {
          status: 201,
          body: {
            environment: environment('e1', 'orders-dev'),
            operation: { id: 'o1' },
          },
        },
      ],
    });
    const envs = BackendStackyardEnvironments.create({
      auth,
      discovery,
      fetchApi,
    });
    const request = {
      entityRef: 'component:default/orders',
      target: 'local',
      prefix: 'orders',
      stage: 'dev',
      stackName: 'orders-dev',
      status: 'ready' as const,
    };
    const initiator = mockCredentials.user('user:default/ada');
    const response = await envs.registerDeployment(request, initiator);
    expect(response.environment.id).toBe('e1');
    expect(calls).toEqual([
      {
        method: 'POST',
        url: 'http://backend.test/api/stackyard/environments',
        auth: mockCredentials.service.header({
          onBehalfOf: initiator,
          targetPluginId: 'stackyard',
        }),
        body: request,
      },
    ]);
  });

  it('finds an environment across pages', async () => {
    const base =
      'http://backend.test/api/stackyard/environments?entityRef=component%3Adefault%2Forders&target=local';
    const { fetchApi } = fakeFetch({
      [`GET ${base}`]: [
        {
          status: 200,
          body: { items: [environment('e1', 'orders-dev')], nextCursor: 'c2' },
        },
      ],
      [`GET ${base}&cursor=c2`]: [
        { status: 200, body: { items: [environment('e2', 'orders-7-dev')] } },
      ],
    });
    const envs = BackendStackyardEnvironments.create({
      auth,
      discovery,
      fetchApi,
    });
    const found = await envs.findEnvironment({
      entityRef: 'component:default/orders',
      target: 'local',
      stackName: 'orders-7-dev',
    });
    expect(found?.id).toBe('e2');
  });

  it('requests teardowns on behalf of the user and passes the refusal on', async () => {
    const { calls, fetchApi } = fakeFetch({
      'POST http://backend.test/api/stackyard/environments/e1/teardown': [
        {
          status: 403,
          body: {
            error: {
              name: 'NotAllowedError',
              message: 'orders-prod is protected',
            },
          },
        },
      ],
    });
    const envs = BackendStackyardEnvironments.create({
      auth,
      discovery,
      fetchApi,
    });
    const user = mockCredentials.user('user:default/ada');
    await expect(envs.requestTeardown('e1', user)).rejects.toThrow(
      'orders-prod is protected',
    );
    expect(calls[0].auth).toBe(
      mockCredentials.service.header({
        onBehalfOf: user,
        targetPluginId: 'stackyard',
      }),
    );
  });
});

describe('synthesizedResources', () => {
  it('lists the logical id and type of every resource of a template', () => {
    expect(
      synthesizedResources({
        Resources: {
          OrdersQueue4A1B2C3D: { Type: 'AWS::SQS::Queue', Properties: {} },
          CDKMetadata: { Type: 'AWS::CDK::Metadata' },
          Broken: { Properties: {} },
        },
      }),
    ).toEqual([
      { logicalId: 'OrdersQueue4A1B2C3D', type: 'AWS::SQS::Queue' },
      { logicalId: 'CDKMetadata', type: 'AWS::CDK::Metadata' },
    ]);
  });

  it('is undefined without a template', () => {
    expect(synthesizedResources(undefined)).toBeUndefined();
    expect(synthesizedResources({})).toBeUndefined();
  });
});
