import type { z } from 'zod';
import { routePath, stackyardRoutes } from './routes';
import type {
  InvokeFunctionRequest,
  InvokeFunctionResponse,
  PreviewLogs,
} from './previews';
import type {
  ListTemplatesResponse,
  TemplateUpgradesResponse,
} from './templates';
import type {
  inspectSocketsQuerySchema,
  listEnvironmentsQuerySchema,
  listOrphansQuerySchema,
} from './schemas';
import type {
  CheckDriftResponse,
  ConnectionKeyResponse,
  DriftReport,
  Environment,
  EnvironmentDetails,
  ExtendExpiryRequest,
  ListEnvironmentsResponse,
  ListOrphansResponse,
  Operation,
  PreviewSocketInspection,
  RegisterDeploymentRequest,
  RegisterDeploymentResponse,
  SendToConnectionRequest,
  StackResourcesResponse,
  TeardownResponse,
} from './types';
import type { ListTargetsResponse } from './targets';
import type {
  CostCenterTotalsResponse,
  EnvironmentCost,
  EstimateCostRequest,
  StoredCostEstimate,
} from './cost';
import type {
  Approval,
  ApprovalDecisionRequest,
  ApprovalDecisionResponse,
} from './approvals';

type Routes = typeof stackyardRoutes;

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
export type ListEnvironmentsQuery = Partial<
  z.output<typeof listEnvironmentsQuerySchema>
>;

/** Filters and paging of {@link StackyardClient.listOrphans}. */
export type ListOrphansQuery = Partial<z.output<typeof listOrphansQuerySchema>>;

/** Options of {@link StackyardClient.getSockets}: how many recent frames (0-1000; backend default 100). */
export type InspectSocketsQuery = Partial<
  z.output<typeof inspectSocketsQuerySchema>
>;

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
    return this.call(stackyardRoutes.listEnvironments, { query }, options);
  }

  getEnvironment(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<EnvironmentDetails> {
    return this.call(stackyardRoutes.getEnvironment, { id }, options);
  }

  /** Registers a deployment or updates the environment it belongs to. */
  registerDeployment(
    request: RegisterDeploymentRequest,
    options?: StackyardRequestOptions,
  ): Promise<RegisterDeploymentResponse> {
    return this.call(
      stackyardRoutes.registerDeployment,
      { body: request },
      options,
    );
  }

  teardown(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<TeardownResponse> {
    return this.call(stackyardRoutes.teardownEnvironment, { id }, options);
  }

  /** The environment's last approval request, with its diff. */
  getApproval(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<Approval> {
    return this.call(stackyardRoutes.getApproval, { id }, options);
  }

  /** Approves (executes) or rejects a change set waiting for approval. */
  decideApproval(
    id: string,
    request: ApprovalDecisionRequest,
    options?: StackyardRequestOptions,
  ): Promise<ApprovalDecisionResponse> {
    return this.call(
      stackyardRoutes.decideApproval,
      { id, body: request },
      options,
    );
  }

  extendExpiry(
    id: string,
    request: ExtendExpiryRequest,
    options?: StackyardRequestOptions,
  ): Promise<Environment> {
    return this.call(
      stackyardRoutes.extendExpiry,
      { id, body: request },
      options,
    );
  }

  getOperation(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<Operation> {
    return this.call(stackyardRoutes.getOperation, { id }, options);
  }

  /** Starts a drift check of the environment's stack (or reuses a running one). */
  checkDrift(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<CheckDriftResponse> {
    return this.call(stackyardRoutes.checkDrift, { id }, options);
  }

  /** The environment's last drift check, per resource. */
  getDrift(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<DriftReport> {
    return this.call(stackyardRoutes.getDrift, { id }, options);
  }

  /** The environment's estimated monthly fixed cost and its actual cost. */
  getEnvironmentCost(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<EnvironmentCost> {
    return this.call(stackyardRoutes.getEnvironmentCost, { id }, options);
  }

  /** Prices a synthesized template and keeps it as its stage's estimate. */
  estimateCost(
    request: EstimateCostRequest,
    options?: StackyardRequestOptions,
  ): Promise<StoredCostEstimate> {
    return this.call(stackyardRoutes.estimateCost, { body: request }, options);
  }

  /** Actual cost of the last 30 days per cost center. */
  getCostCenterTotals(
    options?: StackyardRequestOptions,
  ): Promise<CostCenterTotalsResponse> {
    return this.call(stackyardRoutes.getCostCenterTotals, {}, options);
  }

  /** Every resource of the environment's stack, with physical ids once deployed. */
  getResources(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<StackResourcesResponse> {
    return this.call(stackyardRoutes.listStackResources, { id }, options);
  }

  /** The environment's hosted WebSocket API: connections and recent frames. */
  getSockets(
    id: string,
    query: InspectSocketsQuery = {},
    options?: StackyardRequestOptions,
  ): Promise<PreviewSocketInspection> {
    return this.call(stackyardRoutes.inspectSockets, { id, query }, options);
  }

  /** Sends a message to one connection of the environment's WebSocket API. */
  sendToConnection(
    id: string,
    connectionId: string,
    request: SendToConnectionRequest,
    options?: StackyardRequestOptions,
  ): Promise<void> {
    return this.call(
      stackyardRoutes.sendToConnection,
      { id, connectionId, body: request },
      options,
    );
  }

  /** Closes one connection of the environment's WebSocket API. */
  disconnect(
    id: string,
    connectionId: string,
    options?: StackyardRequestOptions,
  ): Promise<void> {
    return this.call(stackyardRoutes.disconnect, { id, connectionId }, options);
  }

  /** Creates a new connection key for the environment's WebSocket API. */
  rotateConnectionKey(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<ConnectionKeyResponse> {
    return this.call(stackyardRoutes.rotateConnectionKey, { id }, options);
  }

  /** Invokes one function of the environment's local preview. */
  invokeFunction(
    id: string,
    request: InvokeFunctionRequest,
    options?: StackyardRequestOptions,
  ): Promise<InvokeFunctionResponse> {
    return this.call(
      stackyardRoutes.invokeFunction,
      { id, body: request },
      options,
    );
  }

  /** The local preview's state, recent log lines, queues and tables. */
  getPreviewLogs(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<PreviewLogs> {
    return this.call(stackyardRoutes.getPreviewLogs, { id }, options);
  }

  /** Stacks with Stackyard tags that no catalog entity owns. */
  listOrphans(
    query: ListOrphansQuery = {},
    options?: StackyardRequestOptions,
  ): Promise<ListOrphansResponse> {
    return this.call(stackyardRoutes.listOrphans, { query }, options);
  }

  /** Tears an orphan stack down (needs `stackyard.orphan.delete`). */
  teardownOrphan(
    id: string,
    options?: StackyardRequestOptions,
  ): Promise<TeardownResponse> {
    return this.call(stackyardRoutes.teardownOrphan, { id }, options);
  }

  /** Every configured target and the stages it accepts; never credentials. */
  listTargets(options?: StackyardRequestOptions): Promise<ListTargetsResponse> {
    return this.call(stackyardRoutes.listTargets, {}, options);
  }

  /** Every Stackyard template with its versions, entities and changelog. */
  listTemplates(
    options?: StackyardRequestOptions,
  ): Promise<ListTemplatesResponse> {
    return this.call(stackyardRoutes.listTemplates, {}, options);
  }

  /** Upgrades the entities to the template's current version (one upgrade each). */
  startTemplateUpgrades(
    name: string,
    entityRefs: string[],
    options?: StackyardRequestOptions,
  ): Promise<TemplateUpgradesResponse> {
    return this.call(
      stackyardRoutes.startTemplateUpgrades,
      { name, body: { entityRefs } },
      options,
    );
  }

  /** The last upgrade of each of the template's entities. */
  listTemplateUpgrades(
    name: string,
    options?: StackyardRequestOptions,
  ): Promise<TemplateUpgradesResponse> {
    return this.call(stackyardRoutes.listTemplateUpgrades, { name }, options);
  }

  /**
   * Calls one of {@link stackyardRoutes}: `id`, `connectionId` and `name` fill its
   * path, `query` (undefined values left out) its query string.
   */
  private async call<T>(
    route: Routes[keyof Routes],
    request: {
      id?: string;
      connectionId?: string;
      name?: string;
      query?: Record<string, string | number | boolean | undefined>;
      body?: unknown;
    },
    options?: StackyardRequestOptions,
  ): Promise<T> {
    const { query = {}, body, ...params } = request;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    const method = route.method.toUpperCase();
    const path = `${routePath(route, params as Record<string, string>)}${
      qs ? `?${qs}` : ''
    }`;
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
