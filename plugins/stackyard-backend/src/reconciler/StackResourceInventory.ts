import { ServiceUnavailableError } from '@backstage/errors';
import type {
  Environment,
  StackResource,
  StackResourcesResponse,
} from '@stackyard/plugin-stackyard-common';
import type { StackGateway } from '../aws/CloudFormationStacks';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type {
  EnvironmentStore,
  StoredStackResources,
} from '../database/EnvironmentStore';
import { sortResources } from '../database/rows';

/** Options of {@link StackResourceInventory}. */
export type StackResourceInventoryOptions = {
  store: EnvironmentStore;
  stacks: StackGateway;
  targets: ReadonlyMap<string, Target>;
  /** How long a list read from CloudFormation is served. @default 60000 */
  maxAgeMs?: number;
  /** The same while an operation runs and resources change. @default 5000 */
  activeMaxAgeMs?: number;
  now?: () => Date;
};

const served = (
  stored: StoredStackResources | undefined,
  staleReason?: string,
): StackResourcesResponse =>
  stored
    ? {
        items: stored.items,
        source: stored.source,
        fetchedAt: stored.fetchedAt.toISOString(),
        ...(staleReason ? { staleReason } : {}),
      }
    : { items: [], source: 'none' };

/**
 * The resource lists of environments' stacks. Local previews serve what the
 * deploy action recorded from synthesis. Stacks on AWS are read with a
 * paginated ListStackResources on demand (the tab asks per environment,
 * so listing 50 environments costs no AWS call) and cached in the
 * database for every replica: a list is read again once it is older than
 * `maxAgeMs` (`activeMaxAgeMs` while an operation runs) or the environment
 * changed after it was read. Concurrent requests for one environment share
 * a single read. When CloudFormation fails, the stored list is served with
 * the reason it may be stale.
 */
export class StackResourceInventory {
  static create(
    options: StackResourceInventoryOptions,
  ): StackResourceInventory {
    return new StackResourceInventory(options);
  }

  private readonly maxAgeMs: number;
  private readonly activeMaxAgeMs: number;
  private readonly now: () => Date;
  private readonly reading = new Map<string, Promise<StackResourcesResponse>>();

  private constructor(private readonly options: StackResourceInventoryOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.activeMaxAgeMs = options.activeMaxAgeMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
  }

  async resourcesOf(environment: Environment): Promise<StackResourcesResponse> {
    const running = this.reading.get(environment.id);
    if (running) return running;
    const read = this.read(environment).finally(() =>
      this.reading.delete(environment.id),
    );
    this.reading.set(environment.id, read);
    return read;
  }

  private async read(
    environment: Environment,
  ): Promise<StackResourcesResponse> {
    const { store, stacks, targets } = this.options;
    const stored = await store.getStackResources(environment.id);
    const target = targets.get(environment.target);
    if (
      target?.type !== 'aws' ||
      environment.status === 'deleted' ||
      this.isFresh(environment, stored)
    ) {
      return served(stored);
    }
    const readAt = this.now();
    let items: StackResource[] | undefined;
    try {
      items = await stacks.listStackResources(
        target,
        environment.stackId ?? environment.stackName,
      );
    } catch (error) {
      const reason = `CloudFormation could not be read: ${
        error instanceof Error ? error.message : String(error)
      }`;
      if (stored) return served(stored, reason);
      throw new ServiceUnavailableError(
        `The resources of stack "${environment.stackName}" are unknown: ${reason}`,
      );
    }
    // Not created yet (or gone): what synthesis recorded is all there is.
    if (!items) return served(stored);
    const fresh: StoredStackResources = {
      source: 'cloudformation',
      items: sortResources(items),
      fetchedAt: readAt,
    };
    await store.putStackResources(environment.id, fresh);
    return served(fresh);
  }

  private isFresh(
    environment: Environment,
    stored: StoredStackResources | undefined,
  ): boolean {
    if (stored?.source !== 'cloudformation') return false;
    const fetchedAt = stored.fetchedAt.getTime();
    if (Date.parse(environment.updatedAt) > fetchedAt) return false;
    const maxAge = environment.activeOperationId
      ? this.activeMaxAgeMs
      : this.maxAgeMs;
    return this.now().getTime() - fetchedAt < maxAge;
  }
}
