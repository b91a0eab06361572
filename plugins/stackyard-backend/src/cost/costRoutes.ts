import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ActualCost,
  CostCenterTotalsResponse,
  Environment,
  EnvironmentCost,
  estimateCostRequestSchema,
  estimateFixedCost,
  stackyardEnvironmentDeployPermission,
} from '@stackyard/plugin-stackyard-common';
import type { AwsTarget, Target } from '@stackyard/plugin-stackyard-node';
import type { Router } from 'express';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import { idSchema, parseInput } from '../service/validation';
import { COST_WINDOW_DAYS } from './CostRefresher';
import { CostReport, CostStore, stackKey } from './CostStore';
import type { PriceCatalog } from './PriceCatalog';

/** The cost center of environments without one, in totals. */
export const NO_COST_CENTER = '(none)';

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** An environment's actual cost from its account's last refresh. */
export function actualCostOf(
  environment: Pick<Environment, 'prefix' | 'stage'>,
  report: CostReport | undefined,
): ActualCost {
  if (!report) {
    return {
      state: 'never',
      message: 'Cost Explorer has not been read for this account yet',
      days: [],
      totalUsd: 0,
    };
  }
  const series = report.stacks[stackKey(environment.prefix, environment.stage)];
  const start = report.startDate
    ? Date.parse(`${report.startDate}T00:00:00Z`)
    : undefined;
  const days =
    start === undefined
      ? []
      : Array.from({ length: COST_WINDOW_DAYS }, (_, i) => ({
          date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
          usd: cents(series?.[i] ?? 0),
        }));
  return {
    state: report.state,
    ...(report.message ? { message: report.message } : {}),
    ...(report.refreshedAt
      ? { refreshedAt: report.refreshedAt.toISOString() }
      : {}),
    days,
    totalUsd: cents((series ?? []).reduce((s, n) => s + n, 0)),
  };
}

/**
 * `GET /environments/{id}/cost`, `POST /cost/estimates` and
 * `GET /cost/centers`. Every AWS call behind them (Price List, and Cost
 * Explorer through the stored refreshes) is made here, in the backend,
 * with `aws.accounts` credentials; answers carry figures only.
 */
export function addCostRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    store: EnvironmentStore;
    guard: EnvironmentGuard;
    costs: CostStore;
    prices: PriceCatalog;
    targets: ReadonlyMap<string, Target>;
    /** Prices stages of local targets. */
    pricingTarget?: AwsTarget;
    now?: () => Date;
  },
) {
  const { httpAuth, store, guard, costs, prices, targets } = options;
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/environments/:id/cost', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await store.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    const estimate = await costs.getEstimate(
      environment.entityRef,
      environment.target,
      environment.stage,
    );
    let actual: ActualCost | undefined;
    if (environment.targetType === 'aws' && environment.accountId) {
      const reports = await costs.getReports([environment.accountId]);
      actual = actualCostOf(environment, reports.get(environment.accountId));
    }
    const body: EnvironmentCost = {
      ...(estimate ? { estimate } : {}),
      ...(actual ? { actual } : {}),
    };
    res.json(body);
  });

  router.post('/cost/estimates', async (req, res) => {
    const caller = await credentials(req);
    const stored = await guard.run(
      {
        eventId: 'cost-estimate',
        request: req,
        credentials: caller,
      },
      async g => {
        const request = parseInput(
          estimateCostRequestSchema,
          req.body,
          'estimate',
        );
        const entityRef = request.entityRef.toLocaleLowerCase('en-US');
        g.record({ entityRef, target: request.target, stage: request.stage });
        const target = targets.get(request.target);
        if (!target) {
          throw new InputError(
            `Invalid estimate: target "${
              request.target
            }" is not configured; configured targets: ${[
              ...targets.keys(),
            ].join(', ')}`,
          );
        }
        await g.authorize(
          stackyardEnvironmentDeployPermission,
          entityRef,
          `You may not estimate deploys of ${entityRef}: that needs the stackyard.environment.deploy permission (granted to its owners)`,
        );
        const pricing = target.type === 'aws' ? target : options.pricingTarget;
        if (!pricing) {
          throw new ConflictError(
            `No AWS account to ask prices with for the local target "${target.name}": set stackyard.cost.pricingTarget to an aws target`,
          );
        }
        const estimate = await estimateFixedCost(request.template, {
          region: pricing.region,
          prices: prices.lookupWith(pricing),
        });
        g.record({ monthlyUsd: estimate.monthlyUsd });
        return costs.putEstimate({
          entityRef,
          target: target.name,
          stage: request.stage,
          estimate,
          at: options.now?.() ?? new Date(),
        });
      },
    );
    res.json(stored);
  });

  router.get('/cost/centers', async (req, res) => {
    await credentials(req);
    const environments = await store.listTrackedAwsEnvironments();
    const reports = await costs.getReports();
    const totals = new Map<
      string,
      { totalUsd: number; environments: number }
    >();
    for (const environment of environments) {
      if (!environment.accountId) continue;
      const actual = actualCostOf(
        environment,
        reports.get(environment.accountId),
      );
      const center = environment.costCenter || NO_COST_CENTER;
      const total = totals.get(center) ?? { totalUsd: 0, environments: 0 };
      total.totalUsd += actual.totalUsd;
      total.environments += 1;
      totals.set(center, total);
    }
    const used = [...reports.values()];
    const refreshed = used
      .map(r => r.refreshedAt?.getTime())
      .filter((t): t is number => t !== undefined);
    const body: CostCenterTotalsResponse = {
      items: [...totals.entries()]
        .map(([costCenter, t]) => ({
          costCenter,
          totalUsd: cents(t.totalUsd),
          environments: t.environments,
        }))
        .sort(
          (a, b) =>
            b.totalUsd - a.totalUsd || a.costCenter.localeCompare(b.costCenter),
        ),
      days: COST_WINDOW_DAYS,
      ...(refreshed.length
        ? { refreshedAt: new Date(Math.min(...refreshed)).toISOString() }
        : {}),
      stale: used
        .filter(r => r.state !== 'ok')
        .map(r => r.accountId)
        .sort(),
    };
    res.json(body);
  });
}
