import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  Environment,
  EstimateCostRequest,
  RegisterDeploymentRequest,
  RegisterDeploymentResponse,
  StackyardClient,
  StoredCostEstimate,
  SynthesizedResource,
  TeardownResponse,
} from '@stackyard/plugin-stackyard-common';

/**
 * The resources a synthesized template declares, as a deployment records
 * them (`RegisterDeploymentRequest.stackResources`): logical id and type,
 * no physical id until CloudFormation creates them. Undefined when there is
 * no template.
 */
export function synthesizedResources(
  template: unknown,
): SynthesizedResource[] | undefined {
  const resources = (template as { Resources?: unknown } | undefined)
    ?.Resources;
  if (!resources || typeof resources !== 'object') return undefined;
  return Object.entries(resources as Record<string, { Type?: unknown }>)
    .filter(([, r]) => typeof r?.Type === 'string')
    .map(([logicalId, r]) => ({ logicalId, type: r.Type as string }));
}

/**
 * What the scaffolder actions need from the stackyard backend: record
 * deployments and their status changes, look environments up, and request
 * a teardown. Every change is made on behalf of the task's initiator, so
 * that the backend decides that person's permission and audits them.
 */
export interface StackyardEnvironments {
  /**
   * Registers a deployment, or updates the environment it belongs to, on
   * behalf of `onBehalfOf` (the backend checks their
   * `stackyard.environment.deploy` permission on the entity).
   */
  registerDeployment(
    request: RegisterDeploymentRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<RegisterDeploymentResponse>;
  /** The environment of an entity with this target and stack name, if any. */
  findEnvironment(query: {
    entityRef: string;
    target: string;
    stackName: string;
  }): Promise<Environment | undefined>;
  /**
   * Requests the teardown of an environment on behalf of `onBehalfOf`, so
   * that the backend checks that user's permission and audits it.
   */
  requestTeardown(
    environmentId: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<TeardownResponse>;
  /**
   * Prices a synthesized template's monthly fixed cost on behalf of
   * `onBehalfOf` (`stackyard.environment.deploy` on the entity) and keeps it
   * as its stage's estimate; absent: deploys log no estimate.
   */
  estimateCost?(
    request: EstimateCostRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoredCostEstimate>;
}

/** {@link StackyardEnvironments} through the stackyard backend's REST API. */
export class BackendStackyardEnvironments implements StackyardEnvironments {
  static create(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    fetchApi?: { fetch: typeof fetch };
  }): BackendStackyardEnvironments {
    return new BackendStackyardEnvironments(
      options.auth,
      new StackyardClient({
        discoveryApi: options.discovery,
        fetchApi: options.fetchApi,
      }),
    );
  }

  private constructor(
    private readonly auth: AuthService,
    private readonly client: StackyardClient,
  ) {}

  private async token(onBehalfOf?: BackstageCredentials): Promise<string> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: onBehalfOf ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'stackyard',
    });
    return token;
  }

  async estimateCost(
    request: EstimateCostRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<StoredCostEstimate> {
    return this.client.estimateCost(request, {
      token: await this.token(onBehalfOf),
    });
  }

  async registerDeployment(
    request: RegisterDeploymentRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<RegisterDeploymentResponse> {
    return this.client.registerDeployment(request, {
      token: await this.token(onBehalfOf),
    });
  }

  async findEnvironment(query: {
    entityRef: string;
    target: string;
    stackName: string;
  }): Promise<Environment | undefined> {
    const token = await this.token();
    let cursor: string | undefined;
    do {
      const page = await this.client.listEnvironments(
        { entityRef: query.entityRef, target: query.target, cursor },
        { token },
      );
      const found = page.items.find(e => e.stackName === query.stackName);
      if (found) return found;
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }

  async requestTeardown(
    environmentId: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<TeardownResponse> {
    return this.client.teardown(environmentId, {
      token: await this.token(onBehalfOf),
    });
  }
}
