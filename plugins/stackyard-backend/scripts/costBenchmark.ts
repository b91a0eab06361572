/*
 * Cost benchmark (issue 17 §3):
 *
 *   . /tmp/pgenv   # or STACKYARD_BENCH_DATABASE_URL=postgresql://…
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/costBenchmark.ts
 *
 * 1. Estimates the container-service template (VPC with NAT, ALB, two
 *    Fargate services, RDS, ElastiCache, provisioned DynamoDB and Lambda)
 *    through the backend's PriceCatalog against the loopback Price List:
 *    once cold (every price asked), then warm (every price cached); prints
 *    the warm median and p95 (target: ≤ 300 ms).
 * 2. Refreshes actual costs of 1, 100 and 1,000 environments in one account
 *    from the loopback Cost Explorer (a cost every day of the 30-day window
 *    per environment, 500 results a page) and prints the Cost Explorer calls
 *    of each refresh: one query per account, its calls growing with pages.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { estimateFixedCost } from '@stackyard/plugin-stackyard-common';
import { LoopbackAws } from '@stackyard/test-support/aws';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { containerServiceTemplate } from '../../stackyard-common/src/cost/__fixtures__/containerServiceTemplate';
import { DefaultAwsClientFactory } from '../src/aws/AwsClientFactory';
import {
  loopbackAwsClients,
  loopbackTarget,
} from '../src/__testUtils__/loopbackAws';
import { seedContainerPrices } from '../src/__testUtils__/loopbackPrices';
import { CostRefresher, costWindow } from '../src/cost/CostRefresher';
import { CostStore } from '../src/cost/CostStore';
import { PriceCatalog } from '../src/cost/PriceCatalog';
import { migrationConfig } from '../src/database/migrateDatabase';
import { withDatabase } from './benchDatabase';

const WARM_RUNS = 200;

const quietLogger = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quietLogger,
} as unknown as LoggerService;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function estimateBenchmark() {
  const aws = await LoopbackAws.start();
  try {
    seedContainerPrices(aws.pricing);
    const target = loopbackTarget(aws);
    const clients = DefaultAwsClientFactory.create(loopbackAwsClients);
    const prices = PriceCatalog.create({ clients, cacheMs: 24 * 3_600_000 });
    const estimate = () =>
      estimateFixedCost(containerServiceTemplate, {
        region: target.region,
        prices: prices.lookupWith(target),
      });
    let started = performance.now();
    const cold = await estimate();
    const coldMs = performance.now() - started;
    const coldCalls = aws.callCount.GetProducts;
    const times: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      started = performance.now();
      await estimate();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(cold.summary);
    console.log(
      `estimate cold: ${coldMs.toFixed(
        1,
      )} ms (${coldCalls} GetProducts calls); warm (${WARM_RUNS} runs, ${
        aws.callCount.GetProducts - coldCalls
      } further calls): median ${percentile(times, 50).toFixed(
        3,
      )} ms, p95 ${percentile(times, 95).toFixed(3)} ms, max ${times[
        times.length - 1
      ].toFixed(3)} ms`,
    );
  } finally {
    await aws.stop();
  }
}

async function refreshBenchmark() {
  await withDatabase(async knex => {
    await knex.migrate.latest(migrationConfig);
    for (const environments of [1, 100, 1000]) {
      const aws = await LoopbackAws.start();
      try {
        const { days } = costWindow(new Date());
        for (let e = 0; e < environments; e++) {
          for (const date of days) {
            aws.costExplorer.records.push({
              date,
              tags: { 'stackyard:prefix': `svc${e}`, 'stackyard:stage': 'dev' },
              usd: 0.5,
            });
          }
        }
        const refresher = CostRefresher.create({
          clients: DefaultAwsClientFactory.create(loopbackAwsClients),
          store: new CostStore(knex),
          targets: new Map([['sandbox', loopbackTarget(aws)]]),
          logger: quietLogger,
        });
        const started = performance.now();
        const stats = await refresher.refreshOnce();
        console.log(
          `refresh of ${environments} environments in 1 account: ${
            stats.calls
          } Cost Explorer calls (${stats.accounts} query, ${
            environments * days.length
          } results at ${aws.costExplorer.pageSize} a page), ${
            stats.stacks
          } stacks, ${(performance.now() - started).toFixed(0)} ms`,
        );
      } finally {
        await aws.stop();
      }
    }
  });
}

async function main() {
  await estimateBenchmark();
  await refreshBenchmark();
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
