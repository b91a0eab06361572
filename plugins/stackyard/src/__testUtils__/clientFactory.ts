import type { StackyardApi } from '../api/StackyardApi';

type ClientFactory = (deps: {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi: { fetch: typeof fetch };
}) => unknown;

/**
 * Builds the client of an API factory against a fake backend that answers
 * every request with 204, and returns it with the fetch mock.
 */
export function clientOf(factory: ClientFactory) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => ({
    ok: true,
    status: 204,
    text: async () => '',
  }));
  const api = factory({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/stackyard' },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  }) as StackyardApi;
  return { api, fetch };
}

/** Calls every socket method of `api` and returns the requests it made. */
export async function socketRequests(factory: ClientFactory) {
  const { api, fetch } = clientOf(factory);
  await api.getSockets('env-1', { frames: 20 });
  await api.sendToConnection('env-1', 'conn-a', { data: 'hello' });
  await api.disconnect('env-1', 'conn-a');
  await api.rotateConnectionKey('env-1');
  return fetch.mock.calls.map(([url, init]) => [init?.method, url, init?.body]);
}

/** What {@link socketRequests} returns for a client of the stackyard backend. */
export const expectedSocketRequests = [
  [
    'GET',
    'http://backend/api/stackyard/environments/env-1/sockets?frames=20',
    undefined,
  ],
  [
    'POST',
    'http://backend/api/stackyard/environments/env-1/sockets/connections/conn-a/messages',
    '{"data":"hello"}',
  ],
  [
    'DELETE',
    'http://backend/api/stackyard/environments/env-1/sockets/connections/conn-a',
    undefined,
  ],
  [
    'POST',
    'http://backend/api/stackyard/environments/env-1/sockets/connection-key',
    undefined,
  ],
];
