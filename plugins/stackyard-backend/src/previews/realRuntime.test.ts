import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import {
  createOrdersReplica,
  localPreview,
  publishOrders,
} from '../__testUtils__/localPreview';

jest.setTimeout(120_000);

// On SQLite only: the database plays no part in what runs; the routes and
// lifecycle are tested on both databases with the runtime double.
const databases = createTestDatabases();

// eslint-disable-next-line no-restricted-syntax
const skeleton = resolve(
  __dirname,
  '../../../../templates/serverless-service/skeleton',
);

/** A handler trying what a hostile repository would; it logs each outcome. */
const HOSTILE = `'use strict';
exports.handler = async event => {
  const outcome = {};
  const attempt = (name, fn) => {
    try {
      const value = fn();
      outcome[name] = value === undefined ? 'allowed' : String(value).slice(0, 40);
    } catch (error) {
      outcome[name] = error.code || error.name;
    }
    console.log(name + ': ' + outcome[name]);
  };
  const fs = require('fs');
  attempt('read app-config', () => fs.readFileSync(event.appConfig, 'utf8'));
  attempt('backend env', () => process.env[event.secretName] || 'absent');
  attempt('spawn', () => require('child_process').execFileSync('id'));
  attempt('write outside', () => fs.writeFileSync(event.outside, 'x'));
  return outcome;
};
`;

// The serverless template's service, its HTTP API included (a preview runs
// the functions and leaves the API out), plus the hostile function.
const MANIFEST = `service:
  name: orders
  project: orders
  costCenter: cc-1234
  owner: component:default/orders
functions:
  intake:
    handler: index.handler
    code: functions/intake
    timeout: 10
    memorySize: 256
    reservedConcurrency: 5
  worker:
    handler: index.handler
    code: functions/worker
    timeout: 30
    memorySize: 256
    reservedConcurrency: 5
  hostile:
    handler: index.handler
    code: functions/hostile
    timeout: 5
    memorySize: 128
    reservedConcurrency: 1
queues:
  jobs:
    consumer: worker
    senders: [intake]
    maxReceiveCount: 3
tables:
  items:
    partitionKey: { name: id, type: string }
    writers: [worker]
http:
  routes:
    POST /jobs: intake
`;

describe('a local preview on the real runtime (serverless template handlers, loopback AWS unused)', () => {
  it('invokes intake from the published commit, the worker takes the job from the queue and writes the item; a hostile handler can read neither app-config.yaml nor the backend environment, spawn nothing, write nothing outside, and its attempts show in the logs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preview-real-'));
    const aws = await LoopbackAws.start();
    try {
      const published = await publishOrders(root, {
        copies: { functions: join(skeleton, 'functions') },
        files: {
          'stackyard.yaml': MANIFEST,
          'functions/hostile/index.js': HOSTILE,
        },
      });
      const replica = await createOrdersReplica({
        knex: await databases.init('SQLITE_3'),
        server: aws,
        published,
      });
      try {
        const registered = await request(replica.app)
          .post('/environments')
          .set('Authorization', mockCredentials.service.header())
          .send({ ...localPreview(), commit: published.commit });
        const id = registered.body.environment.id;
        const ada = mockCredentials.user.header('user:default/ada');

        // Before anything runs, the functions come from the manifest at the
        // deployed commit: no checkout, no runner.
        const asleep = await request(replica.app)
          .get(`/environments/${id}/logs`)
          .set('Authorization', ada);
        expect(asleep.body).toMatchObject({
          state: 'sleeping',
          functions: ['intake', 'worker', 'hostile'].map(name => ({
            name,
            lines: [],
          })),
        });
        expect(existsSync(join(root, 'data', id, 'checkout'))).toBe(false);

        const invoked = await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', ada)
          .send({
            function: 'intake',
            payload: { id: 'job-1', payload: { n: 1 } },
          });
        expect(invoked.status).toBe(200);
        expect(invoked.body).toMatchObject({
          ok: true,
          result: { accepted: true, id: 'job-1' },
        });

        let logs: any;
        for (const until = Date.now() + 30_000; Date.now() < until; ) {
          logs = (
            await request(replica.app)
              .get(`/environments/${id}/logs`)
              .set('Authorization', ada)
          ).body;
          if (logs.tables?.find((t: any) => t.items === 1)) break;
          await new Promise(r => setTimeout(r, 250));
        }
        expect(logs.state).toBe('running');
        expect(logs.tables).toEqual([expect.objectContaining({ items: 1 })]);
        expect(logs.queues).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ visible: 0, inFlight: 0 }),
          ]),
        );

        const refused = await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', ada)
          .send({ function: 'intake', payload: { id: 'bad id!' } });
        expect(refused.body).toMatchObject({
          ok: true,
          result: { accepted: false },
        });

        // What a hostile handler tries fails, the backend answers on, and
        // each attempt shows in the preview's logs.
        process.env.STACKYARD_BACKEND_SECRET = 'backend-only';
        const outside = join(root, 'outside.txt');
        const hostile = await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', ada)
          .send({
            function: 'hostile',
            payload: {
              appConfig: resolve(__dirname, '../../../../app-config.yaml'),
              secretName: 'STACKYARD_BACKEND_SECRET',
              outside,
            },
          });
        expect(hostile.status).toBe(200);
        expect(hostile.body.result).toEqual({
          'read app-config': 'ERR_ACCESS_DENIED',
          'backend env': 'absent',
          spawn: 'ERR_ACCESS_DENIED',
          'write outside': 'ERR_ACCESS_DENIED',
        });
        expect(existsSync(outside)).toBe(false);
        const after = (
          await request(replica.app)
            .get(`/environments/${id}/logs`)
            .set('Authorization', ada)
        ).body;
        const lines = after.functions
          .find((f: { name: string }) => f.name === 'hostile')
          .lines.map((l: { text: string }) => l.text);
        expect(lines).toEqual(
          expect.arrayContaining([
            'read app-config: ERR_ACCESS_DENIED',
            'spawn: ERR_ACCESS_DENIED',
          ]),
        );
      } finally {
        await replica.previews?.close();
        await replica.sockets.close();
      }
    } finally {
      await aws.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
