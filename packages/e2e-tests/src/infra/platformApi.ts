import { seederToken } from './seedEnvironments';
import type { ListedOrphan } from './orphanStacks';

async function get(baseUrl: string, path: string, token: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Polls `read` every 500 ms until it returns a value, or throws `what`. */
async function poll<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** The orphans the backend lists (one page of up to 500). */
export async function listOrphans(
  baseUrl: string,
  token = seederToken,
): Promise<ListedOrphan[]> {
  return (await get(baseUrl, '/api/stackyard/orphans?limit=500', token)).items;
}

/** Waits until the reconciler lists the stack as an orphan. */
export function waitForOrphan(
  baseUrl: string,
  stackName: string,
  timeoutMs = 30_000,
): Promise<ListedOrphan> {
  return poll(
    async () =>
      (await listOrphans(baseUrl)).find(o => o.stackName === stackName),
    `The backend never listed ${stackName} as an orphan`,
    timeoutMs,
  );
}

/** Waits until the reconciler no longer lists the stack as an orphan. */
export function waitForNoOrphan(
  baseUrl: string,
  stackName: string,
  timeoutMs = 30_000,
): Promise<true> {
  return poll(
    async () =>
      (await listOrphans(baseUrl)).some(o => o.stackName === stackName)
        ? undefined
        : true,
    `The backend still lists ${stackName} as an orphan`,
    timeoutMs,
  );
}

/** Waits until the reconciler flags the environment's entity as missing from the catalog. */
export function waitForEntityMissing(
  baseUrl: string,
  environmentId: string,
  timeoutMs = 30_000,
): Promise<string> {
  return poll(
    async () =>
      (
        await get(
          baseUrl,
          `/api/stackyard/environments/${environmentId}`,
          seederToken,
        )
      ).environment.entityMissingSince as string | undefined,
    `The reconciler never flagged environment ${environmentId}'s entity as missing`,
    timeoutMs,
  );
}

/** Asks for an orphan's teardown with a user's token; the answer as is. */
export async function requestOrphanTeardown(
  baseUrl: string,
  orphanId: string,
  token: string,
): Promise<{ status: number; message?: string }> {
  const response = await fetch(
    `${baseUrl}/api/stackyard/orphans/${orphanId}/teardown`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
  );
  const body = await response.json().catch(() => undefined);
  return { status: response.status, message: body?.error?.message };
}
