/**
 * The body of `POST /api/stackyard/environments` (the e2e package does not
 * depend on the plugin packages; `RegisterDeploymentRequest` in
 * `@stackyard/plugin-stackyard-common` is the full type).
 */
export type Deployment = {
  entityRef: string;
  target: string;
  prefix: string;
  stage: string;
  stackName: string;
  stackId?: string;
  status: 'deploying' | 'ready' | 'failed';
  outputs?: Record<string, string>;
  resources?: Record<string, number>;
  stackResources?: { logicalId: string; type: string }[];
  templateName?: string;
  templateVersion?: string;
  /** The git commit deployed: a local preview runs its checkout. */
  commit?: string;
  protected?: boolean;
  expiresAt?: string;
  costCenter?: string;
  /** A WebSocket API the backend hosts for a local preview. */
  websocket?: {
    routes: Record<string, { integration: { type: 'http'; url: string } }>;
  };
};

/** The static service token of app-config.e2e.yaml (`backend.auth.externalAccess`). */
export const seederToken = 'e2e-infra-seeder-token-0123456789';

async function call(baseUrl: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${seederToken}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path}: ${response.status} ${text}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

/** Creates the connection key of a local preview's WebSocket API. */
export async function createConnectionKey(
  baseUrl: string,
  environmentId: string,
): Promise<string> {
  const { key } = await call(
    baseUrl,
    `/api/stackyard/environments/${environmentId}/sockets/connection-key`,
    { method: 'POST' },
  );
  return key;
}

/** Waits until the catalog has ingested an entity (file locations are read on a schedule). */
export async function waitForEntity(
  baseUrl: string,
  ref: { kind: string; name: string },
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  const path = `/api/catalog/entities/by-name/${ref.kind}/default/${ref.name}`;
  let last = '';
  while (Date.now() < deadline) {
    try {
      return await call(baseUrl, path);
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`The catalog never served ${path}: ${last}`);
}

/** Registers deployments as CI does, through the stackyard backend's API. */
export async function registerDeployments(
  baseUrl: string,
  requests: Deployment[],
): Promise<{ environment: { id: string; stackName: string } }[]> {
  const results = [];
  for (const request of requests) {
    results.push(
      await call(baseUrl, '/api/stackyard/environments', {
        method: 'POST',
        body: JSON.stringify(request),
      }),
    );
  }
  return results;
}

/** The fields of an environment the tests wait on. */
type Reconciled = {
  id: string;
  stackName: string;
  stackStatus?: string;
  reconciledAt?: string;
};

/**
 * Waits until the backend's reconciler has compared every environment with
 * its target's CloudFormation and CloudWatch (the e2e config runs it every
 * few seconds); only a reconcile sets `stackStatus`.
 */
export async function waitForReconciled(
  baseUrl: string,
  environmentIds: string[],
  timeoutMs = 60_000,
): Promise<Reconciled[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const environments: Reconciled[] = await Promise.all(
      environmentIds.map(
        async id =>
          (
            await call(baseUrl, `/api/stackyard/environments/${id}`)
          ).environment,
      ),
    );
    const pending = environments.filter(e => !e.reconciledAt || !e.stackStatus);
    if (pending.length === 0) return environments;
    if (Date.now() > deadline) {
      throw new Error(
        `The reconciler never read ${pending
          .map(e => e.stackName)
          .join(', ')} from the loopback endpoint within ${timeoutMs} ms`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
