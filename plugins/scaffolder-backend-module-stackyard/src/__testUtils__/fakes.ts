import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type {
  Environment,
  RegisterDeploymentRequest,
  RegisterDeploymentResponse,
  TeardownResponse,
} from '@stackyard/plugin-stackyard-common';
import type { StackyardEnvironments } from '../lib/environments';

const OPERATION_STATE = {
  deploying: 'running',
  // The deploy's part is done: its change set waits for an approver.
  'awaiting-approval': 'succeeded',
  ready: 'succeeded',
  failed: 'failed',
} as const;

/**
 * An in-memory stand-in for the stackyard backend: keeps one environment per
 * target and stack name, every registration in order, and the teardowns.
 */
export class FakeStackyardEnvironments implements StackyardEnvironments {
  readonly registrations: RegisterDeploymentRequest[] = [];
  /** Whom each registration was made on behalf of, in order. */
  readonly registeredOnBehalfOf: BackstageCredentials[] = [];
  /** Entity refs the backend refuses deployments of (as its permission check would). */
  readonly refusedEntities = new Set<string>();
  readonly environments = new Map<string, Environment>();
  readonly teardowns: {
    environmentId: string;
    onBehalfOf: BackstageCredentials;
  }[] = [];
  private nextId = 1;

  async registerDeployment(
    request: RegisterDeploymentRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<RegisterDeploymentResponse> {
    if (this.refusedEntities.has(request.entityRef)) {
      throw new NotAllowedError(
        `You may not deploy environments of ${request.entityRef}`,
      );
    }
    this.registrations.push(request);
    this.registeredOnBehalfOf.push(onBehalfOf);
    const key = `${request.target}/${request.stackName}`;
    const now = new Date().toISOString();
    const existing = this.environments.get(key);
    const environment: Environment = {
      id: existing?.id ?? `env-${this.nextId++}`,
      entityRef: request.entityRef,
      target: request.target,
      targetType: request.target === 'local' ? 'local' : 'aws',
      prefix: request.prefix,
      stage: request.stage,
      stackName: request.stackName,
      stackId: request.stackId,
      status: request.status,
      statusReason: request.statusReason,
      outputs: request.outputs ?? {},
      resources: request.resources ?? {},
      alarms: [],
      templateName: request.templateName,
      templateVersion: request.templateVersion,
      protected:
        request.protected ?? ['prod', 'production'].includes(request.stage),
      protectionReason: undefined,
      createdBy: 'service:scaffolder',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.environments.set(key, environment);
    return {
      environment,
      operation: {
        id: `op-${this.registrations.length}`,
        environmentId: environment.id,
        type: 'deploy',
        state: OPERATION_STATE[request.status],
        actor: 'service:scaffolder',
        createdAt: now,
        updatedAt: now,
      },
    };
  }

  async findEnvironment(query: {
    entityRef: string;
    target: string;
    stackName: string;
  }): Promise<Environment | undefined> {
    const env = this.environments.get(`${query.target}/${query.stackName}`);
    return env && env.entityRef === query.entityRef ? env : undefined;
  }

  async requestTeardown(
    environmentId: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<TeardownResponse> {
    const env = [...this.environments.values()].find(
      e => e.id === environmentId,
    );
    if (!env) throw new Error(`no environment ${environmentId}`);
    if (env.protected) {
      throw new NotAllowedError(`Environment ${env.stackName} is protected`);
    }
    if (env.status === 'deleting') {
      throw new ConflictError(
        `Environment ${env.stackName} is already being torn down`,
      );
    }
    this.teardowns.push({ environmentId, onBehalfOf });
    env.status = 'deleting';
    const now = new Date().toISOString();
    return {
      operation: {
        id: `teardown-${this.teardowns.length}`,
        environmentId,
        type: 'teardown',
        state: 'pending',
        actor: 'user:default/mock',
        createdAt: now,
        updatedAt: now,
      },
    };
  }
}

/**
 * The scaffolder's checkpoint contract: a step's result is stored under its
 * key, and a retried or recovered task gets the stored result instead of
 * running the step again. Share one between two runs of an action to play
 * a task recovery.
 */
export function checkpointStore() {
  const stored = new Map<string, unknown>();
  return {
    stored,
    async checkpoint<T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (stored.has(opts.key)) return stored.get(opts.key) as T;
      const value = await opts.fn();
      stored.set(opts.key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    },
  };
}

/**
 * A stand-in for the catalog's entity reads, as `fetch`: it serves an entity
 * (`GET /entities/by-name/...`) only from the read `serve` says, answers
 * `POST /refresh` like the real catalog (404 until the entity exists), and
 * records each read with the user it was made for. Pass `auth`, `discovery`
 * and `fetchApi` to the action under test.
 */
export class FakeCatalog {
  readonly baseUrl = 'http://catalog.test/api/catalog';
  /** Each read of an entity: its ref and the user the token was for. */
  readonly reads: { entityRef: string; user?: string }[] = [];
  readonly auth = mockServices.auth({ pluginId: 'scaffolder' });
  readonly discovery = {
    getBaseUrl: async () => this.baseUrl,
    getExternalBaseUrl: async () => this.baseUrl,
  };
  readonly fetchApi = { fetch: this.fetch.bind(this) as typeof fetch };
  private readonly catalogAuth = mockServices.auth({ pluginId: 'catalog' });
  /** Entity ref → the read of it from which it is served. */
  private readonly servedFrom = new Map<string, number>();

  /** Serves `entityRef` from its read number `afterReads + 1` on. */
  serve(entityRef: string, { afterReads = 0 }: { afterReads?: number } = {}) {
    this.servedFrom.set(entityRef, afterReads + 1);
    return this;
  }

  private async fetch(url: string, init?: RequestInit): Promise<Response> {
    const path = url.slice(this.baseUrl.length);
    const byName = /^\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(
      path,
    );
    if (byName && (init?.method ?? 'GET') === 'GET') {
      const [kind, namespace, name] = byName.slice(1).map(decodeURIComponent);
      const entityRef = `${kind}:${namespace}/${name}`;
      const token = String(
        (init?.headers as Record<string, string>)?.Authorization ?? '',
      ).replace(/^Bearer /, '');
      const credentials = await this.catalogAuth.authenticate(token);
      this.reads.push({
        entityRef,
        user: (credentials.principal as { userEntityRef?: string })
          .userEntityRef,
      });
      return new Response(null, {
        status: this.serves(entityRef) ? 200 : 404,
      });
    }
    if (path === '/refresh' && init?.method === 'POST') {
      const { entityRef } = JSON.parse(String(init.body));
      return new Response(null, {
        status: this.serves(entityRef) ? 200 : 404,
      });
    }
    return new Response(null, { status: 404 });
  }

  /** Whether the catalog serves `entityRef` now (as of the reads made). */
  serves(entityRef: string): boolean {
    const from = this.servedFrom.get(entityRef);
    const readsSoFar = this.reads.filter(r => r.entityRef === entityRef).length;
    return from !== undefined && readsSoFar >= from;
  }
}
