/*
 * Benchmark (issue §8). Needs a PostgreSQL server:
 *
 *   STACKYARD_BENCH_DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432 \
 *     npm run bench --workspace @stackyard/plugin-stackyard-backend
 *
 * 1. Seeds 10,000 environments over 2,000 entities in a fresh database, serves
 *    the real router, and runs a separate load process sending
 *    list-by-entity requests at 200 req/s; prints latency percentiles.
 * 2. Reconciles 1,000 AWS stacks (and 1,500 alarms) against the loopback
 *    CloudFormation/CloudWatch endpoint; prints duration and AWS calls per cycle.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import type { Target } from '@stackyard/plugin-stackyard-node';
import { withDatabase } from './benchDatabase';
import { DatabaseEnvironmentStore } from '../src/database/DatabaseEnvironmentStore';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../src/__testUtils__/loopbackAws';
import { createBenchServices } from './benchServices';

const ENVIRONMENTS = 10_000;
const ENTITIES = 2_000;
const AWS_STACKS = 1_000;
const RATE = Number(process.env.STACKYARD_BENCH_RATE ?? 200);
const SECONDS = Number(process.env.STACKYARD_BENCH_SECONDS ?? 20);

async function seed(
  store: DatabaseEnvironmentStore,
  targets: Map<string, Target>,
) {
  const started = Date.now();
  const stages = ['dev', 'qa', 'staging', 'preview', 'demo'];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ENVIRONMENTS; i = next++) {
      const entity = i % ENTITIES;
      const stage = stages[Math.floor(i / ENTITIES)];
      const target = i < AWS_STACKS ? 'sandbox' : 'local';
      await store.registerDeployment({
        request: {
          entityRef: `component:default/svc-${entity}`,
          target,
          prefix: `svc-${entity}`,
          stage,
          stackName: `svc-${entity}-${stage}`,
          status: 'ready',
          outputs: { Url: `https://svc-${entity}-${stage}.example.test` },
          resources: { 'AWS::Lambda::Function': 2, 'AWS::DynamoDB::Table': 1 },
          templateName: 'service',
          templateVersion: '1.0.0',
        },
        target: targets.get(target)!,
        actor: 'user:default/bench',
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return (Date.now() - started) / 1000;
}

async function main() {
  const aws = await LoopbackAws.start();
  try {
    await withDatabase(async knex => {
      const targets = new Map<string, Target>([
        ['local', { name: 'local', type: 'local' }],
        ['sandbox', loopbackTarget(aws)],
      ]);
      // The plugin's own wiring, with AWS at the loopback endpoint.
      const { store, router, reconciler, sockets } = await createBenchServices(
        knex,
        targets,
      );
      const seedSeconds = await seed(store, targets);
      console.log(
        `Seeded ${ENVIRONMENTS} environments over ${ENTITIES} entities in ${seedSeconds.toFixed(
          1,
        )} s`,
      );

      // 1. list-by-entity latency under load from a separate process.
      const server = express().use(router).listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const { stdout } = await promisify(execFile)(process.execPath, [
        path.join(__dirname, 'load.mjs'),
        `http://127.0.0.1:${port}`,
        String(RATE),
        String(SECONDS),
        String(ENTITIES),
        mockCredentials.user.header(),
      ]);
      server.close();
      console.log(
        `list-by-entity at ${RATE} req/s for ${SECONDS} s: ${stdout.trim()}`,
      );

      // 2. reconcile of 1,000 stacks against the loopback endpoint.
      for (let i = 0; i < AWS_STACKS; i++) {
        const entity = i % ENTITIES;
        const stage = ['dev', 'qa', 'staging', 'preview', 'demo'][
          Math.floor(i / ENTITIES)
        ];
        const name = `svc-${entity}-${stage}`;
        aws.cloudFormation.addStack({
          name,
          status: 'UPDATE_COMPLETE',
          outputs: { Url: 'https://x.test' },
        });
        if (i % 2 === 0) {
          aws.cloudWatch.alarms.push({
            name: `${name}-Errors`,
            type: 'metric',
            state: 'OK',
          });
          aws.cloudWatch.alarms.push({
            name: `${name}-Health`,
            type: 'composite',
            state: 'OK',
          });
        } else {
          aws.cloudWatch.alarms.push({
            name: `${name}-Latency`,
            type: 'metric',
            state: 'ALARM',
          });
        }
      }
      for (const cycle of [
        'first (every stack changes)',
        'steady (nothing changes)',
      ]) {
        aws.resetCalls();
        const started = performance.now();
        const stats = await reconciler.reconcileOnce();
        const ms = performance.now() - started;
        console.log(
          `reconcile ${cycle}: ${stats.environments} stacks, ${
            stats.changed
          } changed, ${ms.toFixed(0)} ms, AWS calls ${JSON.stringify(
            aws.callCount,
          )}`,
        );
      }
      // Stops the replica heartbeat before the database is dropped.
      await sockets.close();
    });
  } finally {
    await aws.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
