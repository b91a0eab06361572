/** What {@link waitForCatalogEntity} needs to reach the catalog. */
export interface CatalogEntityWaitOptions {
  /** Base URL of the catalog's API (discovery's `getBaseUrl('catalog')`). */
  readonly baseUrl: string;
  /** A catalog token for the task's initiator. */
  readonly token: string;
  /** The entity to wait for, `kind:namespace/name`. */
  readonly entityRef: string;
  /**
   * The Location entity the registration created; it is refreshed while the
   * entity does not exist yet. @default none
   */
  readonly locationEntityRef?: string;
  /** How long to wait in total. */
  readonly timeoutMs: number;
  /** Where progress goes (the task log). */
  readonly logger: { info(message: string): void; warn(message: string): void };
  readonly fetchFn?: typeof fetch;
  /** Stops the wait early (the task was cancelled). */
  readonly signal?: AbortSignal;
  /** Pause between reads of the entity. @default 500 */
  readonly pollMs?: number;
  /** Interval of "still waiting" lines in the task log. @default 5000 */
  readonly progressEveryMs?: number;
}

/**
 * Asks the catalog to refresh a just-registered entity and waits until the
 * catalog serves it, so that a task's "Open in catalog" link works when the
 * task ends. The catalog processes new locations asynchronously: on SQLite
 * that is usually done before the task ends, on PostgreSQL it can take
 * seconds. Resolves `true` once `GET /entities/by-name/...` answers 200,
 * `false` when `timeoutMs` passes or the signal aborts first.
 */
export async function waitForCatalogEntity(
  options: CatalogEntityWaitOptions,
): Promise<boolean> {
  const {
    baseUrl,
    token,
    entityRef,
    locationEntityRef,
    timeoutMs,
    logger,
    signal,
    pollMs = 500,
    progressEveryMs = 5000,
  } = options;
  const fetchFn = options.fetchFn ?? fetch;
  // The action builds the ref as kind:namespace/name from the catalog file.
  const parts = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(entityRef);
  if (!parts) throw new Error(`${entityRef} is not a kind:namespace/name ref`);
  const entityUrl = `${baseUrl}/entities/by-name/${parts
    .slice(1)
    .map(encodeURIComponent)
    .join('/')}`;
  const headers = { Authorization: `Bearer ${token}` };

  let lastProblem = '';
  async function readable(): Promise<boolean> {
    try {
      const response = await fetchFn(entityUrl, { headers, signal });
      if (response.status === 200) return true;
      lastProblem = response.status === 404 ? '' : `HTTP ${response.status}`;
    } catch (error) {
      if (signal?.aborted) return false;
      lastProblem = String(error);
    }
    return false;
  }

  // One refresh of the entity is enough once it exists; until then its
  // Location is refreshed instead (once), which is what emits the entity.
  let refreshState: 'entity' | 'location' | 'done' = 'entity';
  let locationRefreshed = false;
  async function refresh(ref: string): Promise<number> {
    try {
      const response = await fetchFn(`${baseUrl}/refresh`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entityRef: ref }),
        signal,
      });
      return response.status;
    } catch {
      return 0;
    }
  }
  async function askForRefresh() {
    if (refreshState === 'done') return;
    const status = await refresh(entityRef);
    if (status >= 200 && status < 300) {
      refreshState = 'done';
    } else if (status === 404) {
      if (locationEntityRef && !locationRefreshed) {
        locationRefreshed = true;
        await refresh(locationEntityRef);
      }
    } else if (status === 401 || status === 403) {
      // Refreshing is an optimisation; without the right, just wait.
      refreshState = 'done';
      logger.warn(
        `The catalog did not let the task refresh ${entityRef} (HTTP ${status}); waiting for its own schedule`,
      );
    }
  }

  const started = Date.now();
  const seconds = (ms: number) => Math.round(ms / 1000);
  let nextProgress = started + progressEveryMs;
  for (;;) {
    if (signal?.aborted) return false;
    if (await readable()) {
      if (Date.now() - started >= 1000) {
        logger.info(
          `The catalog serves ${entityRef} (after ${seconds(
            Date.now() - started,
          )} s)`,
        );
      }
      return true;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) return false;
    await askForRefresh();
    if (Date.now() >= nextProgress) {
      nextProgress += progressEveryMs;
      logger.info(
        `Waiting for the catalog to process ${entityRef} (${seconds(
          elapsed,
        )} s of at most ${seconds(timeoutMs)} s)${
          lastProblem ? `; last answer: ${lastProblem}` : ''
        }`,
      );
    }
    await sleep(Math.min(pollMs, timeoutMs - elapsed), signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
