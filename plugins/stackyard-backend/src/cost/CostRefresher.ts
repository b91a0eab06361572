import {
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { STACKYARD_TAG_KEYS } from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { AwsClientFactory, AwsTarget } from '../aws/AwsClientFactory';
import { CostStore, stackKey } from './CostStore';

/** Days of actual cost a refresh reads (the sparkline's width). */
export const COST_WINDOW_DAYS = 30;

/** The metric read: what the account is billed, before credits. */
const METRIC = 'UnblendedCost';

/** Pages of one refresh read at most (a guard, far above real use). */
const MAX_PAGES = 1000;

/** What one refresh did. */
export type CostRefreshStats = {
  accounts: number;
  /** Cost Explorer calls made, pages included (retries of the SDK not counted). */
  calls: number;
  /** Accounts whose refresh was throttled or failed. */
  failed: number;
  /** Stacks with cost in the window, over every account. */
  stacks: number;
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The 30 days before `now`'s day (today is incomplete), oldest first. */
export function costWindow(now: Date): {
  start: string;
  end: string;
  days: string[];
} {
  const end = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const days = Array.from({ length: COST_WINDOW_DAYS }, (_, i) =>
    day(new Date(end - (COST_WINDOW_DAYS - i) * 86_400_000)),
  );
  return { start: days[0], end: day(new Date(end)), days };
}

/**
 * Refreshes actual costs from Cost Explorer: for each AWS account of the
 * aws targets, ONE GetCostAndUsage query (daily, last 30 days, grouped by
 * the `stackyard:prefix` and `stackyard:stage` tags) read page by page, so
 * calls grow with pages, not with environments. Local targets have no
 * cost. Throttling, Cost Explorer's rate limit (`LimitExceededException`)
 * included, is retried by the client with bounded backoff; a refresh that
 * keeps being throttled after those retries, or fails, is recorded with its
 * reason and the account keeps its previous figures.
 */
export class CostRefresher {
  static create(options: {
    clients: Pick<AwsClientFactory, 'costExplorer'>;
    store: CostStore;
    targets: ReadonlyMap<string, Target>;
    logger: LoggerService;
    now?: () => Date;
  }): CostRefresher {
    return new CostRefresher(options);
  }

  private constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'costExplorer'>;
      store: CostStore;
      targets: ReadonlyMap<string, Target>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** One aws target per account: whose credentials (and endpoint) read its costs. */
  accounts(): AwsTarget[] {
    const byAccount = new Map<string, AwsTarget>();
    for (const target of this.options.targets.values()) {
      if (target.type === 'aws' && !byAccount.has(target.accountId)) {
        byAccount.set(target.accountId, target);
      }
    }
    return [...byAccount.values()];
  }

  async refreshOnce(): Promise<CostRefreshStats> {
    const now = this.options.now?.() ?? new Date();
    const stats: CostRefreshStats = {
      accounts: 0,
      calls: 0,
      failed: 0,
      stacks: 0,
    };
    for (const target of this.accounts()) {
      stats.accounts += 1;
      try {
        const read = await this.readAccount(target, now, () => {
          stats.calls += 1;
        });
        stats.stacks += Object.keys(read.stacks).length;
        await this.options.store.putReport({
          accountId: target.accountId,
          at: now,
          startDate: read.start,
          stacks: read.stacks,
        });
      } catch (error) {
        stats.failed += 1;
        const name = (error as Error).name;
        const throttled = /Throttl|LimitExceeded/.test(name);
        const message = throttled
          ? `Cost Explorer kept throttling the refresh (${name}) after retries; showing the previous refresh's figures`
          : `Cost Explorer failed: ${name}: ${(error as Error).message}`;
        this.options.logger.warn(
          `Cost refresh of account ${target.accountId} failed: ${message}`,
        );
        await this.options.store.putFailure({
          accountId: target.accountId,
          at: now,
          state: throttled ? 'throttled' : 'failed',
          message,
        });
      }
    }
    return stats;
  }

  private async readAccount(target: AwsTarget, now: Date, counted: () => void) {
    const { start, end, days } = costWindow(now);
    const index = new Map(days.map((d, i) => [d, i]));
    const client = await this.options.clients.costExplorer(target);
    const stacks: Record<string, number[]> = {};
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      counted();
      const answer: GetCostAndUsageCommandOutput = await client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'DAILY',
          Metrics: [METRIC],
          GroupBy: [
            { Type: 'TAG', Key: STACKYARD_TAG_KEYS.prefix },
            { Type: 'TAG', Key: STACKYARD_TAG_KEYS.stage },
          ],
          NextPageToken: token,
        }),
      );
      for (const result of answer.ResultsByTime ?? []) {
        const i = index.get(result.TimePeriod?.Start ?? '');
        if (i === undefined) continue;
        for (const group of result.Groups ?? []) {
          const [prefix, stage] = (group.Keys ?? []).map(k =>
            k.slice(k.indexOf('$') + 1),
          );
          // Costs of resources without the tags have empty values.
          if (!prefix || !stage) continue;
          const amount = Number(group.Metrics?.[METRIC]?.Amount ?? 0);
          const series = (stacks[stackKey(prefix, stage)] ??= days.map(
            () => 0,
          ));
          series[i] += amount;
        }
      }
      token = answer.NextPageToken;
      if (!token) break;
    }
    return { start, stacks };
  }
}
