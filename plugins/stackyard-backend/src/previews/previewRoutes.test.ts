import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { fakePreviewRuntime } from '../__testUtils__/fakePreviewRuntime';
import {
  createOrdersReplica,
  localPreview,
  publishOrders,
  type PublishedOrders,
} from '../__testUtils__/localPreview';
import { expectConforms } from '../__testUtils__/openApiSpec';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const adaHeader = mockCredentials.user.header('user:default/ada');
const eveHeader = mockCredentials.user.header('user:default/eve');

describe.each(databases.eachSupportedId())(
  'preview routes on %s (loopback AWS, runtime double)',
  databaseId => {
    let aws: LoopbackAws;
    let root: string;
    let published: PublishedOrders;
    let commit: string;

    beforeEach(async () => {
      aws = await LoopbackAws.start();
      root = mkdtempSync(join(tmpdir(), 'preview-routes-'));
      published = await publishOrders(root, {
        files: { 'handler.txt': 'committed' },
      });
      commit = published.commit;
      // The working copy changes after the deploy: the preview must not run it.
      writeFileSync(join(published.repoDir, 'handler.txt'), 'uncommitted');
    });
    afterEach(async () => {
      await aws.stop();
      rmSync(root, { recursive: true, force: true });
    });

    async function setup(config: { maxRunning?: number } = {}) {
      const knex = await databases.init(databaseId);
      const runtime = fakePreviewRuntime({
        intake: event => ({ accepted: event }),
        worker: () => {
          throw new TypeError('worker exploded');
        },
      });
      const synthesized: string[] = [];
      const replica = await createOrdersReplica({
        knex,
        server: aws,
        published,
        previews: {
          start: runtime.start,
          synthesize: async ({ appDir, stackName }) => {
            synthesized.push(readFileSync(join(appDir, 'handler.txt'), 'utf8'));
            return { manifest: { functions: {} }, template: { stackName } };
          },
          config,
        },
      });
      const register = async (stage = 'dev', extra: object = { commit }) => {
        const res = await request(replica.app)
          .post('/environments')
          .set('Authorization', mockCredentials.service.header())
          .send({ ...localPreview(stage), ...extra });
        expect(res.status).toBeLessThan(300);
        return res.body.environment.id as string;
      };
      return { replica, runtime, synthesized, register };
    }

    it('invokes a function for an owner from a clean checkout at the deployed commit, audited', async () => {
      const { replica, runtime, synthesized, register } = await setup();
      const id = await register();
      const res = expectConforms(
        'POST',
        '/environments/{id}/invoke',
        await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', adaHeader)
          .send({ function: 'intake', payload: { job: 'j-1' } }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        function: 'intake',
        ok: true,
        result: { accepted: { job: 'j-1' } },
      });
      expect(synthesized).toEqual(['committed']);
      expect(runtime.starts).toHaveLength(1);
      expect(runtime.starts[0].template).toEqual({ stackName: 'orders-dev' });
      expect(runtime.starts[0].env?.WEBSOCKET_CALLBACK_URL).toMatch(
        new RegExp(`/sockets/${id}/dev$`),
      );
      const audit = replica.auditEvents.find(
        e => e.eventId === 'environment-invoke',
      );
      expect(audit).toMatchObject({
        outcome: 'success',
        meta: { actor: 'user:default/ada', environmentId: id },
        resultMeta: expect.objectContaining({ function: 'intake', ok: true }),
      });
      await replica.previews?.close();
    });

    it('answers a handler that throws with ok: false, its error and stack', async () => {
      const { replica, register } = await setup();
      const id = await register();
      const res = expectConforms(
        'POST',
        '/environments/{id}/invoke',
        await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', adaHeader)
          .send({ function: 'worker', payload: {} }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ok: false,
        error: {
          name: 'TypeError',
          message: 'worker exploded',
          stack: expect.stringContaining('worker exploded'),
        },
      });
      await replica.previews?.close();
    });

    it('refuses a user who does not own the entity with 403, audited, starting nothing', async () => {
      const { replica, runtime, register } = await setup();
      const id = await register();
      const res = expectConforms(
        'POST',
        '/environments/{id}/invoke',
        await request(replica.app)
          .post(`/environments/${id}/invoke`)
          .set('Authorization', eveHeader)
          .send({ function: 'intake', payload: {} }),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('stackyard.environment.invoke');
      expect(runtime.starts).toHaveLength(0);
      expect(
        replica.auditEvents.find(e => e.eventId === 'environment-invoke'),
      ).toMatchObject({
        outcome: 'fail',
        resultMeta: expect.objectContaining({
          actor: 'user:default/eve',
          permission: 'stackyard.environment.invoke',
        }),
      });
      const logs = await request(replica.app)
        .get(`/environments/${id}/logs`)
        .set('Authorization', eveHeader);
      expect(logs.status).toBe(403);
    });

    it('answers 400 for an unknown function or a bad body, 404 for an unknown environment, 409 without a commit or for an aws stack', async () => {
      const { replica, register } = await setup();
      const id = await register();
      const invoke = (envId: string, body: unknown) =>
        request(replica.app)
          .post(`/environments/${envId}/invoke`)
          .set('Authorization', adaHeader)
          .send(body as object);
      expect((await invoke(id, { function: 'nope' })).status).toBe(400);
      expect((await invoke(id, { function: '../x' })).status).toBe(400);
      expect((await invoke(id, { function: 'intake', extra: 1 })).status).toBe(
        400,
      );
      expect(
        (
          await invoke('00000000-0000-4000-8000-000000000000', {
            function: 'intake',
          })
        ).status,
      ).toBe(404);
      const noCommit = await register('qa', {});
      const refused = await invoke(noCommit, { function: 'intake' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('recorded no commit');
      await replica.previews?.close();
    });

    it('refuses a preview beyond stackyard.previews.maxRunning with 429', async () => {
      const { replica, register } = await setup({ maxRunning: 1 });
      const first = await register('dev');
      const second = await register('qa');
      const invoke = (envId: string) =>
        request(replica.app)
          .post(`/environments/${envId}/invoke`)
          .set('Authorization', adaHeader)
          .send({ function: 'intake' });
      expect((await invoke(first)).status).toBe(200);
      const refused = expectConforms(
        'POST',
        '/environments/{id}/invoke',
        await invoke(second),
      );
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toContain(
        'stackyard.previews.maxRunning',
      );
      await replica.previews?.close();
    });

    it('shows state and log lines per function, and stops and removes the preview at teardown', async () => {
      const { replica, runtime, register } = await setup();
      const id = await register();
      const before = expectConforms(
        'GET',
        '/environments/{id}/logs',
        await request(replica.app)
          .get(`/environments/${id}/logs`)
          .set('Authorization', adaHeader),
      );
      expect(before.body).toMatchObject({ state: 'sleeping', functions: [] });
      await request(replica.app)
        .post(`/environments/${id}/invoke`)
        .set('Authorization', adaHeader)
        .send({ function: 'intake', payload: { job: 'j-2' } });
      const after = expectConforms(
        'GET',
        '/environments/{id}/logs',
        await request(replica.app)
          .get(`/environments/${id}/logs`)
          .set('Authorization', adaHeader),
      );
      expect(after.body.state).toBe('running');
      expect(
        after.body.functions.find((f: { name: string }) => f.name === 'intake')
          .lines[0].text,
      ).toContain('j-2');
      expect(after.body.tables).toEqual([{ name: 'connections', items: 0 }]);
      expect(after.body.queues).toContainEqual({
        name: 'intake-dlq',
        visible: 0,
        inFlight: 0,
        dlqOfFunctions: ['intake'],
      });

      const teardown = await request(replica.app)
        .post(`/environments/${id}/teardown`)
        .set('Authorization', adaHeader);
      expect(teardown.status).toBe(202);
      expect(runtime.stopped).toEqual([4001]);
      expect(existsSync(join(root, 'data', id))).toBe(false);
      const gone = await request(replica.app)
        .post(`/environments/${id}/invoke`)
        .set('Authorization', adaHeader)
        .send({ function: 'intake' });
      expect(gone.status).toBe(409);
      expect(runtime.starts).toHaveLength(1);
      await replica.previews?.close();
    });
  },
);
