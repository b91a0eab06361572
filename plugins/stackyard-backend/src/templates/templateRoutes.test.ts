import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import type { Knex } from 'knex';
import request from 'supertest';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica } from '../__testUtils__/replica';
import { INTERRUPTED_ERROR } from './TemplateUpgradeStore';
import type {
  UpgradeEngine,
  UpgradeRequest,
  UpgradeResult,
} from './UpgradeEngine';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ada = mockCredentials.user.header('user:default/ada');
const pat = mockCredentials.user.header('user:default/pat');
const eve = mockCredentials.user.header('user:default/eve');
const olly = mockCredentials.user.header('user:default/olly');

const CHANGELOG = `# Changelog

## 1.1.0 - 2026-11-30

- An alarm on the dead-letter queue depth.

## 1.0.0 - 2026-11-01

- First version.
`;

/** A component made from `template` at `version`, published locally under `repos`. */
function component(
  name: string,
  template: string,
  repos: string,
  location = `stackyard-local:${join(repos, name, 'catalog-info.yaml')}`,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'stackyard.io/template': template,
        'backstage.io/managed-by-location': location,
      },
    },
    spec: { type: 'service', owner: 'user:default/ada' },
  };
}

describe.each(databases.eachSupportedId())(
  'template routes on %s',
  databaseId => {
    let aws: LoopbackAws;
    let root: string;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
      root = mkdtempSync(join(tmpdir(), 'stackyard-templates-'));
    });
    afterEach(async () => {
      await aws.stop();
      rmSync(root, { recursive: true, force: true });
    });

    /**
     * The serverless-service template at 1.1.0 (owned by pat) in a folder with
     * its CHANGELOG.md; ada owns orders and billing (1.0.0), current (1.1.0),
     * other (another template) and remote (not published locally, on a
     * host without an integration).
     */
    async function setup(
      engine: (
        request: UpgradeRequest,
      ) => Promise<UpgradeResult> = async r => ({
        branch: `stackyard/upgrade-${r.toVersion}`,
        conflicts: [],
        testsPassed: true,
        policyPassed: true,
      }),
      /** The database of another replica, to share it. */
      sharedKnex?: Knex,
      /** Entities besides the fixed ones. */
      extraEntities: Entity[] = [],
    ) {
      const templateDir = join(root, 'templates/serverless-service');
      const repos = join(root, 'repos');
      mkdirSync(templateDir, { recursive: true });
      writeFileSync(join(templateDir, 'CHANGELOG.md'), CHANGELOG);
      const entities: Entity[] = [
        {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: {
            name: 'serverless-service',
            namespace: 'default',
            title: 'Serverless service',
            annotations: {
              'stackyard.io/template-version': '1.1.0',
              'backstage.io/managed-by-location': `file:${join(
                templateDir,
                'template.yaml',
              )}`,
            },
          },
          spec: { owner: 'user:default/pat' },
        },
        component('orders', 'serverless-service@1.0.0', repos),
        component('billing', 'serverless-service@1.0.0', repos),
        component('current', 'serverless-service@1.1.0', repos),
        component('other', 'websocket-service@1.0.0', repos),
        component(
          'remote',
          'serverless-service@1.0.0',
          repos,
          'url:https://github.com/acme/remote/blob/main/catalog-info.yaml',
        ),
        ...extraEntities,
      ];
      const owners = permissionsByOwnership({
        'component:default/orders': ['user:default/ada', 'user:default/olly'],
        'component:default/billing': ['user:default/ada'],
        'component:default/current': ['user:default/ada'],
        'component:default/other': ['user:default/ada'],
        'component:default/remote': ['user:default/ada'],
        'component:default/hosted': ['user:default/ada'],
        'template:default/serverless-service': ['user:default/pat'],
      });
      const calls: UpgradeRequest[] = [];
      const knex = sharedKnex ?? (await databases.init(databaseId));
      const replica = await createReplica({
        knex,
        server: aws,
        permissions: owners.permissions,
        catalog: catalogServiceMock({ entities }),
        localPublishDirectory: repos,
        templateUpgradeEngine: Object.assign(
          async (r: UpgradeRequest) => {
            calls.push(r);
            return engine(r);
          },
          { hostedRepositories: (engine as UpgradeEngine).hostedRepositories },
        ),
      });
      return { ...replica, calls, templateDir, repos, knex };
    }

    it('lists templates with versions, entity counts, changelog and who may upgrade', async () => {
      const { app } = await setup();
      const asAda = expectConforms(
        'GET',
        '/templates',
        await request(app).get('/templates').set('Authorization', ada),
      );
      expect(asAda.status).toBe(200);
      const [template] = asAda.body.templates;
      expect(asAda.body.templates).toHaveLength(1);
      expect(template).toMatchObject({
        name: 'serverless-service',
        entityRef: 'template:default/serverless-service',
        title: 'Serverless service',
        owner: 'user:default/pat',
        latestVersion: '1.1.0',
        versions: [
          { version: '1.1.0', entities: 1 },
          { version: '1.0.0', entities: 3 },
        ],
        changelog: [
          {
            version: '1.1.0',
            date: '2026-11-30',
            notes: '- An alarm on the dead-letter queue depth.',
          },
          { version: '1.0.0', date: '2026-11-01', notes: '- First version.' },
        ],
      });
      expect(
        template.entities.map((e: any) => [e.entityRef, e.version, e.behind]),
      ).toEqual([
        ['component:default/billing', '1.0.0', true],
        ['component:default/current', '1.1.0', false],
        ['component:default/orders', '1.0.0', true],
        ['component:default/remote', '1.0.0', true],
      ]);
      expect(template.entities.every((e: any) => e.canUpgrade)).toBe(true);
      expect(template.entities.map((e: any) => e.blockedReason)).toEqual([
        undefined,
        undefined,
        undefined,
        'its repository is neither published locally (stackyard:publish:local) nor on a GitHub or GitLab host with an integration (its backstage.io/source-location)',
      ]);

      const asEve = await request(app)
        .get('/templates')
        .set('Authorization', eve);
      expect(
        asEve.body.templates[0].entities.map((e: any) => e.canUpgrade),
      ).toEqual([false, false, false, false]);
      const asPat = await request(app)
        .get('/templates')
        .set('Authorization', pat);
      expect(
        asPat.body.templates[0].entities.every((e: any) => e.canUpgrade),
      ).toBe(true);
    });

    it("upgrades an owner's entity in the background: progress, branch, tests and policy, audited", async () => {
      const { app, calls, templateDir, repos, templates, auditEvents } =
        await setup(async r => {
          r.onProgress('Rendering 1.1.0');
          r.onProgress('Merging into stackyard/upgrade-1.1.0');
          return {
            branch: 'stackyard/upgrade-1.1.0',
            conflicts: [],
            testsPassed: true,
            policyPassed: false,
          };
        });
      const started = expectConforms(
        'POST',
        '/templates/{name}/upgrades',
        await request(app)
          .post('/templates/serverless-service/upgrades')
          .set('Authorization', ada)
          .send({ entityRefs: ['Component:default/Orders'] }),
      );
      expect(started.status).toBe(202);
      expect(started.body.upgrades).toEqual([
        expect.objectContaining({
          templateName: 'serverless-service',
          entityRef: 'component:default/orders',
          fromVersion: '1.0.0',
          toVersion: '1.1.0',
          state: 'queued',
          actor: 'user:default/ada',
        }),
      ]);
      await templates!.upgrader.idle();
      expect(calls).toEqual([
        expect.objectContaining({
          repoDir: join(repos, 'orders'),
          templateDir,
          templateName: 'serverless-service',
          toVersion: '1.1.0',
        }),
      ]);

      const listed = expectConforms(
        'GET',
        '/templates/{name}/upgrades',
        await request(app)
          .get('/templates/serverless-service/upgrades')
          .set('Authorization', eve),
      );
      expect(listed.body.upgrades).toEqual([
        expect.objectContaining({
          id: started.body.upgrades[0].id,
          state: 'merged',
          branch: 'stackyard/upgrade-1.1.0',
          conflicts: [],
          testsPassed: true,
          policyPassed: false,
          progress: [
            'Upgrading component:default/orders to 1.1.0',
            'Rendering 1.1.0',
            'Merging into stackyard/upgrade-1.1.0',
          ],
        }),
      ]);
      const page = await request(app)
        .get('/templates')
        .set('Authorization', ada);
      const orders = page.body.templates[0].entities.find(
        (e: any) => e.entityRef === 'component:default/orders',
      );
      expect(orders.lastUpgrade).toMatchObject({ state: 'merged' });

      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'template-upgrade',
          outcome: 'success',
          meta: expect.objectContaining({
            actor: 'user:default/ada',
            templateName: 'serverless-service',
          }),
          resultMeta: expect.objectContaining({
            permission: 'stackyard.template.upgrade',
            entityRefs: ['component:default/orders'],
            toVersion: '1.1.0',
            grantedOnTemplate: false,
          }),
        }),
      );
    });

    it("lets the template's owner upgrade a selection of entities they do not own", async () => {
      const { app, calls, templates } = await setup();
      const started = await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', pat)
        .send({
          entityRefs: ['component:default/orders', 'component:default/billing'],
        });
      expect(started.status).toBe(202);
      expect(started.body.upgrades.map((u: any) => u.entityRef)).toEqual([
        'component:default/orders',
        'component:default/billing',
      ]);
      await templates!.upgrader.idle();
      expect(calls.map(c => c.repoDir).sort()).toEqual([
        expect.stringMatching(/billing$/),
        expect.stringMatching(/orders$/),
      ]);
    });

    it('refuses a caller who owns neither the entity nor the template: 403, nothing starts, audited', async () => {
      const { app, calls, templates, auditEvents } = await setup();
      const refused = expectConforms(
        'POST',
        '/templates/{name}/upgrades',
        await request(app)
          .post('/templates/serverless-service/upgrades')
          .set('Authorization', eve)
          .send({ entityRefs: ['component:default/orders'] }),
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'You may not upgrade component:default/orders: that needs the stackyard.template.upgrade permission (granted to its owners and to the owners of template:default/serverless-service)',
      );
      await templates!.upgrader.idle();
      expect(calls).toEqual([]);
      const listed = await request(app)
        .get('/templates/serverless-service/upgrades')
        .set('Authorization', ada);
      expect(listed.body.upgrades).toEqual([]);
      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'template-upgrade',
          outcome: 'fail',
          meta: expect.objectContaining({ actor: 'user:default/eve' }),
        }),
      );
    });

    it('starts nothing when one entity of a selection is refused', async () => {
      const { app, calls, templates } = await setup();
      // olly owns orders, not billing.
      const refused = await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', olly)
        .send({
          entityRefs: ['component:default/orders', 'component:default/billing'],
        });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /^You may not upgrade component:default\/billing/,
      );
      await templates!.upgrader.idle();
      expect(calls).toEqual([]);
      const listed = await request(app)
        .get('/templates/serverless-service/upgrades')
        .set('Authorization', olly);
      expect(listed.body.upgrades).toEqual([]);
    });

    it.each([
      [
        'an entity on the current version',
        { entityRefs: ['component:default/current'] },
        400,
        'Invalid upgrade: component:default/current is on 1.1.0, not behind serverless-service 1.1.0',
      ],
      [
        'an entity of another template',
        { entityRefs: ['component:default/other'] },
        400,
        'Invalid upgrade: component:default/other was made from template "websocket-service", not "serverless-service"',
      ],
      [
        'an entity whose repository is not published locally',
        { entityRefs: ['component:default/remote'] },
        400,
        'Invalid upgrade: component:default/remote cannot be upgraded from the portal: its repository is neither published locally (stackyard:publish:local) nor on a GitHub or GitLab host with an integration (its backstage.io/source-location)',
      ],
      [
        'an entity not in the catalog',
        { entityRefs: ['component:default/ghost'] },
        404,
        'No entity component:default/ghost',
      ],
      [
        'an empty selection',
        { entityRefs: [] },
        400,
        expect.stringContaining('entityRefs'),
      ],
      [
        'a ref that is no entity ref',
        { entityRefs: ['orders; rm -rf /'] },
        400,
        expect.stringContaining('must be a full entity ref'),
      ],
    ])('refuses %s (nothing starts)', async (_, body, status, message) => {
      const { app, calls, templates } = await setup();
      const res = await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', ada)
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toEqual(message);
      await templates!.upgrader.idle();
      expect(calls).toEqual([]);
    });

    it('answers 404 for a template not in the catalog and 400 for a malformed name', async () => {
      const { app } = await setup();
      const missing = await request(app)
        .post('/templates/ghost/upgrades')
        .set('Authorization', ada)
        .send({ entityRefs: ['component:default/orders'] });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('No template "ghost"');
      const bad = await request(app)
        .get('/templates/..%2Fetc/upgrades')
        .set('Authorization', ada);
      expect(bad.status).toBe(400);
    });

    it('upgrades an entity whose repository is on a Git host the engine reaches (its source location), recording the pull request link', async () => {
      const source = 'https://gitlab.example.com/team-a/hosted/-/tree/main/';
      const pullRequestUrl =
        'https://gitlab.example.com/team-a/hosted/-/merge_requests/1';
      const hosted = component(
        'hosted',
        'serverless-service@1.0.0',
        '',
        'url:https://gitlab.example.com/team-a/hosted/-/blob/main/catalog-info.yaml',
      );
      hosted.metadata.annotations![
        'backstage.io/source-location'
      ] = `url:${source}`;
      const engine: UpgradeEngine = Object.assign(
        async (r: UpgradeRequest) => ({
          branch: `stackyard/upgrade-${r.toVersion}`,
          conflicts: [],
          testsPassed: true,
          policyPassed: true,
          pullRequestUrl,
        }),
        {
          hostedRepositories: (url: string) =>
            url.startsWith('https://gitlab.example.com/'),
        },
      );
      const { app, calls, templates } = await setup(engine, undefined, [
        hosted,
      ]);
      const listed = await request(app)
        .get('/templates')
        .set('Authorization', ada);
      const rows = Object.fromEntries(
        listed.body.templates[0].entities.map((e: any) => [e.entityRef, e]),
      );
      expect(rows['component:default/hosted'].blockedReason).toBeUndefined();
      // github.com has no integration here: still blocked, saying why.
      expect(rows['component:default/remote'].blockedReason).toMatch(
        /neither published locally .* nor on a GitHub or GitLab host/,
      );
      await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', ada)
        .send({ entityRefs: ['component:default/hosted'] })
        .expect(202);
      await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', ada)
        .send({ entityRefs: ['component:default/remote'] })
        .expect(400);
      await templates!.upgrader.idle();
      expect(calls).toEqual([
        expect.objectContaining({ repoUrl: source, repoDir: undefined }),
      ]);
      const upgrades = expectConforms(
        'GET',
        '/templates/{name}/upgrades',
        await request(app)
          .get('/templates/serverless-service/upgrades')
          .set('Authorization', ada),
      );
      expect(upgrades.body.upgrades).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/hosted',
          state: 'merged',
          pullRequestUrl,
        }),
      ]);
    });

    it('records conflicts, and a failed upgrade with its error', async () => {
      const { app, templates } = await setup(async r => {
        if (r.repoDir?.endsWith('orders')) {
          return {
            branch: 'stackyard/upgrade-1.1.0',
            conflicts: ['infra/app.js'],
            testsPassed: false,
          };
        }
        throw new Error('The answer "owner" no longer validates');
      });
      await request(app)
        .post('/templates/serverless-service/upgrades')
        .set('Authorization', ada)
        .send({
          entityRefs: ['component:default/orders', 'component:default/billing'],
        })
        .expect(202);
      await templates!.upgrader.idle();
      const listed = await request(app)
        .get('/templates/serverless-service/upgrades')
        .set('Authorization', ada);
      const byRef = Object.fromEntries(
        listed.body.upgrades.map((u: any) => [u.entityRef, u]),
      );
      expect(byRef['component:default/orders']).toMatchObject({
        state: 'conflicts',
        conflicts: ['infra/app.js'],
        testsPassed: false,
      });
      expect(byRef['component:default/orders'].policyPassed).toBeUndefined();
      expect(byRef['component:default/billing']).toMatchObject({
        state: 'failed',
        error: 'The answer "owner" no longer validates',
      });
    });

    it('gives a second request for an entity whose upgrade runs the same upgrade', async () => {
      let release!: () => void;
      const gate = new Promise<void>(resolve => {
        release = resolve;
      });
      const { app, calls, templates } = await setup(async r => {
        await gate;
        return { branch: `stackyard/upgrade-${r.toVersion}`, conflicts: [] };
      });
      const send = () =>
        request(app)
          .post('/templates/serverless-service/upgrades')
          .set('Authorization', ada)
          .send({ entityRefs: ['component:default/orders'] });
      const first = await send();
      const second = await send();
      expect(second.status).toBe(202);
      expect(second.body.upgrades[0].id).toBe(first.body.upgrades[0].id);
      release();
      await templates!.upgrader.idle();
      expect(calls).toHaveLength(1);
    });

    describe('an upgrade interrupted by a backend restart', () => {
      /** An engine that reports a step, then runs until released. */
      function hanging() {
        let release!: () => void;
        const gate = new Promise<void>(resolve => {
          release = resolve;
        });
        const engine = async (r: UpgradeRequest): Promise<UpgradeResult> => {
          r.onProgress('Rendering 1.1.0');
          await gate;
          return { branch: `stackyard/upgrade-${r.toVersion}`, conflicts: [] };
        };
        return { engine, release };
      }

      async function startOrders(app: Parameters<typeof request>[0]) {
        const started = await request(app)
          .post('/templates/serverless-service/upgrades')
          .set('Authorization', ada)
          .send({ entityRefs: ['component:default/orders'] })
          .expect(202);
        const id: string = started.body.upgrades[0].id;
        // Running once its first steps are written.
        for (let i = 0; i < 100; i++) {
          const listed = await request(app)
            .get('/templates/serverless-service/upgrades')
            .set('Authorization', ada);
          const upgrade = listed.body.upgrades[0];
          if (upgrade?.state === 'running' && upgrade.progress.length === 2) {
            return id;
          }
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        throw new Error('The upgrade never ran');
      }

      it('is marked failed when the next backend starts, its steps kept, and can be opened again', async () => {
        const first = hanging();
        const r1 = await setup(first.engine);
        const id = await startOrders(r1.app);
        // The backend stops (its shutdown hooks run); the upgrade is cut.
        await r1.sockets.close();

        const r2 = await setup(undefined, r1.knex);
        const listed = expectConforms(
          'GET',
          '/templates/{name}/upgrades',
          await request(r2.app)
            .get('/templates/serverless-service/upgrades')
            .set('Authorization', ada),
        );
        expect(listed.body.upgrades).toEqual([
          expect.objectContaining({
            id,
            state: 'failed',
            error: INTERRUPTED_ERROR,
            progress: [
              'Upgrading component:default/orders to 1.1.0',
              'Rendering 1.1.0',
              INTERRUPTED_ERROR,
            ],
          }),
        ]);
        expect(INTERRUPTED_ERROR).toBe(
          'Interrupted by a backend restart; open the upgrade again',
        );
        const page = await request(r2.app)
          .get('/templates')
          .set('Authorization', ada);
        const orders = page.body.templates[0].entities.find(
          (e: any) => e.entityRef === 'component:default/orders',
        );
        expect(orders.lastUpgrade).toMatchObject({
          id,
          state: 'failed',
          error: INTERRUPTED_ERROR,
        });

        // Opened again: a new upgrade runs on the new backend.
        const again = await request(r2.app)
          .post('/templates/serverless-service/upgrades')
          .set('Authorization', ada)
          .send({ entityRefs: ['component:default/orders'] })
          .expect(202);
        expect(again.body.upgrades[0].id).not.toBe(id);
        await r2.templates!.upgrader.idle();
        expect(r2.calls).toHaveLength(1);
        const after = await request(r2.app)
          .get('/templates/serverless-service/upgrades')
          .set('Authorization', ada);
        expect(after.body.upgrades[0]).toMatchObject({
          id: again.body.upgrades[0].id,
          state: 'merged',
        });
        first.release();
        await r1.templates!.upgrader.idle();
        await r2.sockets.close();
      });

      it('leaves the upgrades of a live replica running, and fails those of a replica that crashed once its heartbeat is stale', async () => {
        const first = hanging();
        const r1 = await setup(first.engine);
        const id = await startOrders(r1.app);
        const replicaId = r1.sockets.replicaId;
        // A crash: the replica's heartbeat row stays behind.
        await r1.sockets.close();
        await r1
          .knex('stackyard_socket_replicas')
          .insert({ replica_id: replicaId, last_seen_at: new Date() });

        const r2 = await setup(undefined, r1.knex);
        const state = async () =>
          (
            await request(r2.app)
              .get('/templates/serverless-service/upgrades')
              .set('Authorization', ada)
          ).body.upgrades[0];
        // Within the heartbeat's staleness the replica may still run it.
        expect(await state()).toMatchObject({ id, state: 'running' });
        expect(await r2.templates!.failInterrupted()).toEqual([]);

        await r1
          .knex('stackyard_socket_replicas')
          .where({ replica_id: replicaId })
          .update({ last_seen_at: new Date(Date.now() - 5 * 60_000) });
        expect(await r2.templates!.failInterrupted()).toEqual([id]);
        expect(await state()).toMatchObject({
          id,
          state: 'failed',
          error: INTERRUPTED_ERROR,
        });
        first.release();
        await r1.templates!.upgrader.idle();
        await r2.sockets.close();
      });
    });
  },
);
