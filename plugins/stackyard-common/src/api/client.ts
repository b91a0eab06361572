import type {
  EnvironmentDetails,
  EnvironmentStatus,
  ExtendExpiryRequest,
  ListEnvironmentsResponse,
  Operation,
  RegisterDeploymentRequest,
  RegisterDeploymentResponse,
  TeardownResponse,
  Environment,
  StackResourcesResponse,
} from './types';
import type {
  ConnectionKeyResponse,
  PreviewSocketInspection,
  SendToConnectionRequest,
} from './sockets';

/** A non-2xx answer of the stackyard-backend API. */
export class StackyardApiError extends Error {
  readonly status: number;
  readonly errorName?: string;

  constructor(message: string, status: number, errorName?: string) {
    super(message);
    this.name = 'StackyardApiError';
    this.status = status;
    this.errorName = errorName;
  }
}

/** Filters and paging of {@link StackyardClient.listEnvironments}. */
export type ListEnvironmentsQuery = {
  entityRef?: string;
  status?: EnvironmentStatus;
  target?: string;
  stage?: string;
  limit?: number;
  cursor?: string;
};

/** Options of {@link StackyardClient.getSockets}. */
export type InspectSocketsQuery = {
  /** How many of the most recent frames to return (0-1000; backend default 100). */
  frames?: number;
};

/** Per-call options: the Backstage token to send (user or service). */
export type StackyardRequestOptions = { token?: string };

/**
 * A typed client of the stackyard-backend REST API, usable from the browser
 * (with the app's fetchApi) and from backends (pass a service token from
 * `auth.getPluginRequestToken({ targetPluginId: 'stackyard', ... })`).
 */
export class StackyardClient {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  listEnvironments(
    query: ListEnvironmentsQuery = {},
    options?: StackyardRequestOptions,
  ): Promise<ListEnvironmentsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return this.call('GET', `/environments${qs ? `?${qs}` : ''}`, options);
  }

  getEnvironment(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<EnvironmentDetails> {
    return this.call('GET', `/environments/${encodeURIComponent(id)}`, options);
  }

  /** Registers a deployment or updates the environment it belongs to. */
  registerDeployment(
    request: RegisterDeploymentRequest,
    options?: StackyardRequestOptions,
  ): Promise<RegisterDeploymentResponse> {
    return this.call('POST', '/environments', options, request);
  }

  teardown(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<TeardownResponse> {
    return this.call(
      'POST',
      `/environments/${encodeURIComponent(id)}/teardown`,
      options,
    );
  }

  extendExpiry(
    id: string,
    request: ExtendExpiryRequest,
    options?: StackyardRequestOptions,
  ): Promise<Environment> {
    return this.call(
      'POST',
      `/environments/${encodeURIComponent(id)}/extend`,
      options,
      request,
    );
  }

  getOperation(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<Operation> {
    return this.call('GET', `/operations/${encodeURIComponent(id)}`, options);
  }

  /** Every resource of the environment's stack, with physical ids once deployed. */
  getResources(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<StackResourcesResponse> {
    return this.call(
      'GET',
      `/environments/${encodeURIComponent(id)}/resources`,
      options,
    );
  }

  /** The environment's hosted WebSocket API: connections and recent frames. */
  getSockets(
    id: string,
    query: InspectSocketsQuery = {},
    options?: StackyardRequestOptions,
  ): Promise<PreviewSocketInspection> {
    const qs = query.frames === undefined ? '' : `?frames=${query.frames}`;
    return this.call(
      'GET',
      `/environments/${encodeURIComponent(id)}/sockets${qs}`,
      options,
    );
  }

  /** Sends a message to one connection of the environment's WebSocket API. */
  sendToConnection(
    id: string,
    connectionId: string,
    request: SendToConnectionRequest,
    options?: StackyardRequestOptions,
  ): Promise<void> {
    return this.call(
      'POST',
      `/environments/${encodeURIComponent(
        id,
      )}/sockets/connections/${encodeURIComponent(connectionId)}/messages`,
      options,
      request,
    );
  }

  /** Closes one connection of the environment's WebSocket API. */
  disconnect(
    id: string,
    connectionId: string,
    options?: StackyardRequestOptions,
  ): Promise<void> {
    return this.call(
      'DELETE',
      `/environments/${encodeURIComponent(
        id,
      )}/sockets/connections/${encodeURIComponent(connectionId)}`,
      options,
    );
  }

  /** Creates a new connection key for the environment's WebSocket API. */
  rotateConnectionKey(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<ConnectionKeyResponse> {
    return this.call(
      'POST',
      `/environments/${encodeURIComponent(id)}/sockets/connection-key`,
      options,
    );
  }

  private async call<T>(
    method: string,
    path: string,
    options?: StackyardRequestOptions,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('stackyard');
    const headers: Record<string, string> = {};
    if (options?.token) headers.Authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message =
        json?.error?.message ?? `${method} ${path} failed: ${response.status}`;
      throw new StackyardApiError(message, response.status, json?.error?.name);
    }
    return json as T;
  }
}
