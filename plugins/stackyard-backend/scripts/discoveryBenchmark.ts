/*
 * Discovery benchmark (issue 13). Needs a PostgreSQL server:
 *
 *   STACKYARD_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432 \
 *     node --require @backstage/cli/config/nodeTransform.cjs \
 *     scripts/discoveryBenchmark.ts
 *
 * 5,000 stacks across 2 accounts x 2 regions (four loopback endpoints, one
 * target each), 1,000 of them Stackyard-tagged (a fifth of those previews),
 * no rows; 50 of their entities are not in the catalog, and 20 further
 * stacks carry Stackyard tags that do not parse (orphans). One reconcile
 * cycle discovers them; the next finds nothing new. Prints per cycle:
 * duration, discovered, orphans, missing entities, catalog and AWS calls,
 * and RSS growth.
 */
import type { Target } from '@stackyard/plugin-stackyard-node';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../src/__testUtils__/loopbackAws';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createBenchServices } from './benchServices';
import { withDatabase } from './benchDatabase';

const STACKS = 5_000;
const TAGGED = 1_000;
/** Tagged stacks whose entity is not in the catalog. */
const MISSING_ENTITIES = 50;
/** Of the untagged stacks, these carry Stackyard tags that do not parse. */
const UNREADABLE = 20;
const PAIRS = [
  { account: '111111111111', region: 'eu-west-1' },
  { account: '111111111111', region: 'us-east-1' },
  { account: '222222222222', region: 'eu-west-1' },
  { account: '222222222222', region: 'us-east-1' },
];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The tags of the bench's stack `i` of account/region `p`. */
function tagsOf(
  p: number,
  i: number,
  prefix: string,
  stage: string,
  kind: 'tagged' | 'unreadable' | 'other',
): Record<string, string> {
  if (kind === 'other') return { Project: 'other-team' };
  if (kind === 'unreadable') {
    return {
      'stackyard:entity-ref': 'not an entity ref',
      'stackyard:prefix': prefix,
      'stackyard:stage': stage,
    };
  }
  return {
    Project: 'bench',
    'stackyard:entity-ref': `component:default/svc-${p}-${i}`,
    'stackyard:template': 'service@1.0.0',
    'stackyard:prefix': prefix,
    'stackyard:stage': stage,
    'stackyard:branch': `feature/bench-${i}`,
    'stackyard:commit': '0123456789abcdef0123456789abcdef01234567',
    ...(stage === 'preview' ? { 'stackyard:ttl-hours': 'default' } : {}),
  };
}

function seedStacks(endpoints: LoopbackAws[]) {
  const perPair = STACKS / endpoints.length;
  const taggedPerPair = TAGGED / endpoints.length;
  const unreadablePerPair = UNREADABLE / endpoints.length;
  endpoints.forEach((aws, p) => {
    for (let i = 0; i < perPair; i++) {
      const tagged = i < taggedPerPair;
      let kind: 'tagged' | 'unreadable' | 'other' = 'other';
      if (tagged) kind = 'tagged';
      else if (i < taggedPerPair + unreadablePerPair) kind = 'unreadable';
      const prefix = `svc${p}x${i}`;
      const stage = tagged && i % 5 === 0 ? 'preview' : 'dev';
      aws.cloudFormation.addStack({
        name: `${prefix}-${stage}`,
        status: 'CREATE_COMPLETE',
        creationTime: new Date(),
        outputs: { Url: `https://${prefix}.example.test` },
        tags: tagsOf(p, i, prefix, stage, kind),
      });
      if (tagged) {
        aws.cloudWatch.alarms.push({
          name: `${prefix}-${stage}-Errors`,
          type: 'metric',
          state: 'OK',
        });
      }
    }
  });
}

/**
 * A catalog that has every bench entity but the first MISSING_ENTITIES,
 * answering getEntitiesByRefs by lookup (the reconciler's one question).
 */
function benchCatalog() {
  const state = { calls: 0 };
  const missing = new Set<string>();
  for (let n = 0; missing.size < MISSING_ENTITIES; n++) {
    const p = n % PAIRS.length;
    missing.add(`component:default/svc-${p}-${Math.floor(n / PAIRS.length)}`);
  }
  const catalog = {
    async getEntitiesByRefs({ entityRefs }: { entityRefs: string[] }) {
      state.calls += 1;
      return {
        items: entityRefs.map(ref => {
          if (missing.has(ref)) return undefined;
          const [kind, rest] = ref.split(':');
          const [namespace, name] = rest.split('/');
          return { apiVersion: 'v1', kind, metadata: { namespace, name } };
        }),
      };
    },
  } as unknown as CatalogService;
  return { catalog, state };
}

async function main() {
  const endpoints = await Promise.all(PAIRS.map(p => LoopbackAws.start(p)));
  try {
    await withDatabase(async knex => {
      const targets = new Map<string, Target>(
        endpoints.map((aws, i) => [
          `aws-${i}`,
          loopbackTarget(aws, `aws-${i}`),
        ]),
      );
      const { catalog, state } = benchCatalog();
      const { reconciler, sockets } = await createBenchServices(
        knex,
        targets,
        catalog,
      );
      seedStacks(endpoints);
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      console.log(
        `${STACKS} stacks over ${
          PAIRS.length
        } account/regions, ${TAGGED} Stackyard-tagged; RSS ${mb(rssBefore)}`,
      );
      for (const cycle of ['first (discovers)', 'next (nothing new)']) {
        endpoints.forEach(aws => aws.resetCalls());
        state.calls = 0;
        const started = performance.now();
        const stats = await reconciler.reconcileOnce();
        const ms = performance.now() - started;
        const calls: Record<string, number> = {};
        for (const aws of endpoints) {
          for (const [action, n] of Object.entries(aws.callCount)) {
            calls[action] = (calls[action] ?? 0) + n;
          }
        }
        global.gc?.();
        console.log(
          `reconcile ${cycle}: ${ms.toFixed(0)} ms, ${
            stats.discovered
          } discovered, ${stats.environments} tracked before, ${
            stats.changed
          } changed, ${stats.orphanCandidates} orphan candidates, ${
            stats.missingEntities
          } entities missing from the catalog (${
            state.calls
          } catalog calls), AWS calls ${JSON.stringify(calls)}, RSS growth ${mb(
            process.memoryUsage().rss - rssBefore,
          )}`,
        );
      }
      await sockets.close();
    });
  } finally {
    await Promise.all(endpoints.map(aws => aws.stop()));
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
