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
  status: 'deploying' | 'ready' | 'failed';
  outputs?: Record<string, string>;
  resources?: Record<string, number>;
  stackResources?: { logicalId: string; type: string }[];
  templateName?: string;
  templateVersion?: string;
  protected?: boolean;
  expiresAt?: string;
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
