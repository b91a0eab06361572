import type {
  CostEstimate,
  CostRefreshState,
  StoredCostEstimate,
} from '@stackyard/plugin-stackyard-common';
import type { Knex } from 'knex';
import { toDate } from '../database/rows';

const ESTIMATES = 'stackyard_cost_estimates';
const REPORTS = 'stackyard_cost_reports';

/** The last Cost Explorer refresh of one account. */
export type CostReport = {
  accountId: string;
  state: Exclude<CostRefreshState, 'never'>;
  message?: string;
  /** The last refresh that read Cost Explorer. */
  refreshedAt?: Date;
  attemptedAt: Date;
  /** First day (`YYYY-MM-DD`) of each series in `stacks`. */
  startDate?: string;
  /** Daily USD by `<prefix>|<stage>`, from `startDate`. */
  stacks: Record<string, number[]>;
};

/** The key of a stack in a {@link CostReport}: its Stackyard tags. */
export const stackKey = (prefix: string, stage: string) => `${prefix}|${stage}`;

/**
 * Cost on Backstage's database: estimates by entity, target and stage (a
 * deploy replaces its stage's), and one Cost Explorer report per account
 * (a refresh replaces it; a failed one keeps the previous figures).
 */
export class CostStore {
  constructor(private readonly db: Knex) {}

  async putEstimate(options: {
    entityRef: string;
    target: string;
    stage: string;
    estimate: CostEstimate;
    at: Date;
  }): Promise<StoredCostEstimate> {
    const row = {
      entity_ref: options.entityRef,
      target: options.target,
      stage: options.stage,
      estimate: JSON.stringify(options.estimate),
      estimated_at: options.at,
    };
    await this.db(ESTIMATES)
      .insert(row)
      .onConflict(['entity_ref', 'target', 'stage'])
      .merge(['estimate', 'estimated_at']);
    return {
      stage: options.stage,
      target: options.target,
      estimate: options.estimate,
      estimatedAt: options.at.toISOString(),
    };
  }

  async getEstimate(
    entityRef: string,
    target: string,
    stage: string,
  ): Promise<StoredCostEstimate | undefined> {
    const row = await this.db(ESTIMATES)
      .where({ entity_ref: entityRef, target, stage })
      .first();
    if (!row) return undefined;
    return {
      stage,
      target,
      estimate: JSON.parse(row.estimate),
      estimatedAt: toDate(row.estimated_at).toISOString(),
    };
  }

  /** Records a refresh that read Cost Explorer. */
  async putReport(report: {
    accountId: string;
    at: Date;
    startDate: string;
    stacks: Record<string, number[]>;
  }): Promise<void> {
    const row = {
      account_id: report.accountId,
      state: 'ok',
      message: null,
      refreshed_at: report.at,
      attempted_at: report.at,
      start_date: report.startDate,
      stacks: JSON.stringify(report.stacks),
    };
    await this.db(REPORTS).insert(row).onConflict('account_id').merge();
  }

  /** Records a refresh that failed, keeping the figures of the last good one. */
  async putFailure(failure: {
    accountId: string;
    at: Date;
    state: 'throttled' | 'failed';
    message: string;
  }): Promise<void> {
    const row = {
      account_id: failure.accountId,
      state: failure.state,
      message: failure.message,
      attempted_at: failure.at,
    };
    await this.db(REPORTS)
      .insert(row)
      .onConflict('account_id')
      .merge(['state', 'message', 'attempted_at']);
  }

  async getReports(accountIds?: string[]): Promise<Map<string, CostReport>> {
    const query = this.db(REPORTS);
    if (accountIds) query.whereIn('account_id', accountIds);
    const rows = await query;
    return new Map(
      rows.map(r => [
        r.account_id,
        {
          accountId: r.account_id,
          state: r.state,
          message: r.message ?? undefined,
          refreshedAt: r.refreshed_at ? toDate(r.refreshed_at) : undefined,
          attemptedAt: toDate(r.attempted_at),
          startDate: r.start_date ?? undefined,
          stacks: r.stacks ? JSON.parse(r.stacks) : {},
        },
      ]),
    );
  }
}
