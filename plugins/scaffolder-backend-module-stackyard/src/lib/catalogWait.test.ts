import { waitForCatalogEntity } from './catalogWait';

const entityUrl =
  'http://catalog.test/api/catalog/entities/by-name/component/default/orders';

/**
 * A fetch standing in for the catalog: `read` answers GET of the entity
 * (called with the attempt number), `refresh` answers POST /refresh.
 */
function catalogFetch({
  read,
  refresh = () => 200,
}: {
  read: (attempt: number) => number | Error;
  refresh?: (entityRef: string) => number;
}) {
  const calls: string[] = [];
  let reads = 0;
  const fetchFn = (async (url: string, init?: RequestInit) => {
    if (url === entityUrl) {
      calls.push('GET entity');
      const answer = read(++reads);
      if (answer instanceof Error) throw answer;
      return new Response(null, { status: answer });
    }
    const { entityRef } = JSON.parse(String(init?.body));
    calls.push(`refresh ${entityRef}`);
    return new Response(null, { status: refresh(entityRef) });
  }) as typeof fetch;
  return { fetchFn, calls };
}

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(`info: ${m}`),
    warn: (m: string) => lines.push(`warn: ${m}`),
  };
}

const base = {
  baseUrl: 'http://catalog.test/api/catalog',
  token: 'catalog-token',
  entityRef: 'component:default/orders',
  locationEntityRef: 'location:default/generated-1',
  pollMs: 20,
};

describe('waitForCatalogEntity', () => {
  it('returns at once, without a refresh, when the catalog serves the entity already', async () => {
    const { fetchFn, calls } = catalogFetch({ read: () => 200 });
    const logger = recordingLogger();
    await expect(
      waitForCatalogEntity({ ...base, timeoutMs: 1000, logger, fetchFn }),
    ).resolves.toBe(true);
    expect(calls).toEqual(['GET entity']);
    expect(logger.lines).toEqual([]);
  });

  it('refreshes the location until the entity exists, then the entity once, and reports progress', async () => {
    let emitted = false;
    const { fetchFn, calls } = catalogFetch({
      // Emitted after the 3rd read, readable from the 6th.
      read: attempt => {
        emitted = attempt >= 3;
        return attempt >= 6 ? 200 : 404;
      },
      refresh: ref => (ref.startsWith('location:') || emitted ? 200 : 404),
    });
    const logger = recordingLogger();
    await expect(
      waitForCatalogEntity({
        ...base,
        timeoutMs: 5000,
        logger,
        fetchFn,
        progressEveryMs: 30,
      }),
    ).resolves.toBe(true);
    expect(calls).toEqual([
      'GET entity',
      'refresh component:default/orders',
      'refresh location:default/generated-1',
      'GET entity',
      'refresh component:default/orders',
      'GET entity',
      'refresh component:default/orders',
      'GET entity',
      'GET entity',
      'GET entity',
    ]);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines[0]).toMatch(
      /^info: Waiting for the catalog to process component:default\/orders \(0 s of at most 5 s\)$/,
    );
  });

  it('gives up after the timeout, naming the last unexpected answer in its progress', async () => {
    const { fetchFn } = catalogFetch({ read: () => 503 });
    const logger = recordingLogger();
    const started = Date.now();
    await expect(
      waitForCatalogEntity({
        ...base,
        timeoutMs: 300,
        logger,
        fetchFn,
        progressEveryMs: 100,
      }),
    ).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logger.lines.some(l => l.endsWith('; last answer: HTTP 503'))).toBe(
      true,
    );
  });

  it('keeps waiting, and warns once, when it may not refresh; survives network errors', async () => {
    const { fetchFn, calls } = catalogFetch({
      read: attempt => {
        if (attempt === 2) return new Error('ECONNRESET');
        return attempt >= 4 ? 200 : 404;
      },
      refresh: () => 403,
    });
    const logger = recordingLogger();
    await expect(
      waitForCatalogEntity({ ...base, timeoutMs: 5000, logger, fetchFn }),
    ).resolves.toBe(true);
    expect(calls.filter(c => c.startsWith('refresh'))).toEqual([
      'refresh component:default/orders',
    ]);
    expect(logger.lines).toEqual([
      'warn: The catalog did not let the task refresh component:default/orders (HTTP 403); waiting for its own schedule',
    ]);
  });

  it('stops when the task is cancelled', async () => {
    const { fetchFn } = catalogFetch({ read: () => 404 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      waitForCatalogEntity({
        ...base,
        pollMs: 10_000,
        timeoutMs: 30_000,
        logger: recordingLogger(),
        fetchFn,
        signal: controller.signal,
      }),
    ).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a ref that is not kind:namespace/name', async () => {
    await expect(
      waitForCatalogEntity({
        ...base,
        entityRef: 'orders',
        timeoutMs: 10,
        logger: recordingLogger(),
      }),
    ).rejects.toThrow('orders is not a kind:namespace/name ref');
  });
});
