import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '@stackyard/test-support';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { expectConforms, loadSpec } from '../__testUtils__/openApiSpec';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica, permissionsAnswering } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const spec = loadSpec();

/** The scaffolder calling on a user's behalf. */
const scaffolderHeader = `Bearer ${mockCredentials.user.token(
  'user:default/ada',
  {
    actor: { subject: 'plugin:scaffolder' },
  },
)}`;
const userHeader = mockCredentials.user.header('user:default/ada');
/** A second user, who does not own component:default/orders. */
const eveHeader = mockCredentials.user.header('user:default/eve');
/** The scaffolder running eve's template. */
const scaffolderForEve = `Bearer ${mockCredentials.user.token(
  'user:default/eve',
  { actor: { subject: 'plugin:scaffolder' } },
)}`;

const deployment = {
  entityRef: 'component:default/orders',
  target: 'sandbox',
  prefix: 'orders',
  stage: 'dev',
  stackName: 'orders-dev',
  status: 'ready',
  outputs: { Url: 'https://orders.test' },
  templateName: 'service',
  templateVersion: '1.0.0',
};

describe.each(databases.eachSupportedId())(
  'router on %s with a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    async function setup(allow = true) {
      const knex = await databases.init(databaseId);
      return createReplica({
        knex,
        server,
        permissions: permissionsAnswering(
          allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        ),
      });
    }

    /** ada owns component:default/orders; eve owns component:default/billing. */
    async function setupOwned() {
      const knex = await databases.init(databaseId);
      const ownership = permissionsByOwnership({
        'component:default/orders': ['user:default/ada'],
        'component:default/billing': ['user:default/eve'],
      });
      const replica = await createReplica({
        knex,
        server,
        permissions: ownership.permissions,
      });
      return { ...replica, decisions: ownership.decisions };
    }

    async function register(
      app: Express.Application,
      body: object = deployment,
    ) {
      const res = await request(app as any)
        .post('/environments')
        .set('Authorization', scaffolderHeader)
        .send(body);
      return expectConforms('POST', '/environments', res);
    }

    it('registers a deployment (201), then updates it (200)', async () => {
      const { app, messages } = await setup();
      const created = await register(app);
      expect(created.status).toBe(201);
      expect(created.body.environment).toMatchObject({
        stackName: 'orders-dev',
        status: 'ready',
        createdBy: 'user:default/ada',
        accountId: '123456789012',
      });
      const updated = await register(app, {
        ...deployment,
        templateVersion: '1.1.0',
      });
      expect(updated.status).toBe(200);
      expect(updated.body.environment.id).toBe(created.body.environment.id);
      expect(updated.body.environment.templateVersion).toBe('1.1.0');
      expect(messages.map(m => m.kind)).toContain('environment');
    });

    it('refuses deployments registered directly by a user (403)', async () => {
      const { app } = await setup();
      const res = await request(app)
        .post('/environments')
        .set('Authorization', userHeader)
        .send(deployment);
      expectConforms('POST', '/environments', res);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/service token/);
    });

    /** CI: an external-access service token, no user. */
    const ciHeader = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('external:ci'),
      targetPluginId: 'stackyard',
    });
    /** The tags `stackyard deploy` gives the stack of `deployment`. */
    const deployedTags = {
      'stackyard:entity-ref': 'component:default/orders',
      'stackyard:prefix': 'orders',
      'stackyard:stage': 'dev',
      'stackyard:branch': 'main',
      'stackyard:commit': 'abc1234',
    };

    it('accepts a service token (CI) for a stack deployed and tagged for the entity, taking its id, outputs, branch and commit from AWS', async () => {
      const { app } = await setup();
      const stack = server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        tags: deployedTags,
        outputs: { Url: 'https://orders-dev.example.com' },
      });
      const res = await request(app)
        .post('/environments')
        .set('Authorization', ciHeader)
        .send({
          ...deployment,
          stackId: 'arn:aws:cloudformation:forged',
          outputs: { Url: 'https://phishing.example.com' },
          branch: 'forged',
        });
      expectConforms('POST', '/environments', res);
      expect(res.status).toBe(201);
      expect(res.body.environment).toMatchObject({
        createdBy: 'service:external:ci',
        stackId: stack.id,
        outputs: { Url: 'https://orders-dev.example.com' },
        branch: 'main',
        commit: 'abc1234',
      });
      expect(server.callCount.DescribeStacks).toBe(1);
    });

    it('gives a CI-registered preview the expiry its ttl tag implies', async () => {
      const { app } = await setup();
      const created = new Date(Date.now() - 3_600_000);
      server.cloudFormation.addStack({
        name: 'orders-preview',
        status: 'CREATE_COMPLETE',
        creationTime: created,
        tags: {
          ...deployedTags,
          'stackyard:stage': 'preview',
          'stackyard:ttl-hours': '24',
        },
      });
      const res = await request(app)
        .post('/environments')
        .set('Authorization', ciHeader)
        .send({ ...deployment, stage: 'preview', stackName: 'orders-preview' });
      expect(res.status).toBe(201);
      expect(res.body.environment.expiresAt).toBe(
        new Date(created.getTime() + 24 * 3_600_000).toISOString(),
      );
    });

    it('refuses a CI registration of a stack that is not deployed (400), recording nothing', async () => {
      const { app, store } = await setup();
      const res = await request(app)
        .post('/environments')
        .set('Authorization', ciHeader)
        .send(deployment);
      expectConforms('POST', '/environments', res);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /Stack "orders-dev" does not exist in account 123456789012, region eu-west-1 \(target "sandbox"\)/,
      );
      expect((await store.listEnvironments({ limit: 10 })).items).toEqual([]);
    });

    it.each([
      [
        'another entity',
        { 'stackyard:entity-ref': 'component:default/billing' },
        /tagged for "component:default\/billing"/,
      ],
      [
        'no entity tag',
        { 'stackyard:entity-ref': undefined },
        /has no stackyard:entity-ref tag/,
      ],
      [
        'another stage',
        { 'stackyard:stage': 'prod' },
        /name "orders-prod", not "orders-dev"/,
      ],
    ])(
      'refuses a CI registration of a stack tagged with %s (403), recording nothing',
      async (_, patch, message) => {
        const { app, store } = await setup();
        const tags = Object.fromEntries(
          Object.entries({ ...deployedTags, ...patch }).filter(
            (e): e is [string, string] => e[1] !== undefined,
          ),
        );
        server.cloudFormation.addStack({
          name: 'orders-dev',
          status: 'CREATE_COMPLETE',
          tags,
        });
        const res = await request(app)
          .post('/environments')
          .set('Authorization', ciHeader)
          .send(deployment);
        expectConforms('POST', '/environments', res);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(message);
        expect((await store.listEnvironments({ limit: 10 })).items).toEqual([]);
      },
    );

    it('stores the branch and commit a deployment names, keeps them when a later one leaves them out, and refuses ones no stack tag could hold', async () => {
      const { app } = await setup();
      const first = await register(app, {
        ...deployment,
        branch: 'feature/orders-42-x',
        commit: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(first.status).toBe(201);
      const again = await register(app, deployment);
      expect(again.body.environment).toMatchObject({
        branch: 'feature/orders-42-x',
        commit: '0123456789abcdef0123456789abcdef01234567',
      });
      const refused = await register(app, {
        ...deployment,
        branch: 'feature/$(reboot)',
        commit: 'c'.repeat(300),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/branch: .*stackyard:branch/);
      expect(refused.body.error.message).toMatch(/commit: /);
    });

    it('rejects invalid deployments with every problem (400)', async () => {
      const { app } = await setup();
      const res = await register(app, {
        ...deployment,
        entityRef: 'orders',
        stackName: '1-bad_name',
        target: 'mars',
        extra: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(
        /entityRef: must be a full entity ref/,
      );
      expect(res.body.error.message).toMatch(/stack name "1-bad_name"/);
      expect(res.body.error.message).toMatch(/extra/);
    });

    it('records websocket routes for local targets only (400 for aws targets)', async () => {
      const { app } = await setup();
      const websocket = {
        routes: {
          $default: {
            integration: { type: 'http', url: 'http://127.0.0.1:1/x' },
          },
        },
      };
      const aws = await register(app, { ...deployment, websocket });
      expect(aws.status).toBe(400);
      expect(aws.body.error.message).toMatch(
        /local targets only; "sandbox" is an aws target/,
      );
      const local = await register(app, {
        ...deployment,
        target: 'local',
        websocket,
      });
      expect(local.status).toBe(201);
    });

    it('rejects an unconfigured target, naming the configured ones (400)', async () => {
      const { app } = await setup();
      const res = await register(app, { ...deployment, target: 'mars' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /target "mars" is not configured; configured targets: local, sandbox/,
      );
    });

    it('lists by entity and pages through all environments', async () => {
      const { app } = await setup();
      await register(app);
      await register(app, {
        ...deployment,
        stackName: 'orders-qa',
        stage: 'qa',
      });
      await register(app, {
        ...deployment,
        entityRef: 'component:default/billing',
        stackName: 'billing-dev',
        prefix: 'billing',
      });
      const byEntity = expectConforms(
        'GET',
        '/environments',
        await request(app)
          .get('/environments')
          .query({ entityRef: 'component:default/orders' }),
      );
      expect(byEntity.status).toBe(200);
      expect(byEntity.body.items.map((e: any) => e.stackName).sort()).toEqual([
        'orders-dev',
        'orders-qa',
      ]);
      const first = expectConforms(
        'GET',
        '/environments',
        await request(app).get('/environments?limit=2'),
      );
      expect(first.body.items).toHaveLength(2);
      const second = expectConforms(
        'GET',
        '/environments',
        await request(app)
          .get('/environments')
          .query({ limit: 2, cursor: first.body.nextCursor }),
      );
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('rejects bad query parameters and cursors (400)', async () => {
      const { app } = await setup();
      for (const query of ['limit=0', 'status=gone', 'cursor=zzz', 'foo=1']) {
        const res = expectConforms(
          'GET',
          '/environments',
          await request(app).get(`/environments?${query}`),
        );
        expect(res.status).toBe(400);
      }
    });

    it('answers 401 without credentials', async () => {
      const { app } = await setup();
      const res = await request(app)
        .get('/environments')
        .set('Authorization', mockCredentials.none.header());
      expectConforms('GET', '/environments', res);
      expect(res.status).toBe(401);
    });

    it('gets one environment with operations and events, and 404 for unknown ids', async () => {
      const { app } = await setup();
      const { body } = await register(app);
      const id = body.environment.id;
      const one = expectConforms(
        'GET',
        '/environments/{id}',
        await request(app).get(`/environments/${id}`),
      );
      expect(one.status).toBe(200);
      expect(one.body.operations[0]).toMatchObject({
        type: 'deploy',
        state: 'succeeded',
      });
      const missing = expectConforms(
        'GET',
        '/environments/{id}',
        await request(app).get(
          '/environments/00000000-0000-4000-8000-000000000000',
        ),
      );
      expect(missing.status).toBe(404);
      const invalid = expectConforms(
        'GET',
        '/environments/{id}',
        await request(app).get('/environments/nope'),
      );
      expect(invalid.status).toBe(400);
    });

    it('lists stack resources: synthesized for local previews, from a loopback CloudFormation endpoint for aws targets', async () => {
      const { app } = await setup();
      const local = await register(app, {
        ...deployment,
        target: 'local',
        stackName: 'orders-qa',
        stage: 'qa',
        stackResources: [
          { logicalId: 'Queue', type: 'AWS::SQS::Queue' },
          { logicalId: 'Handler', type: 'AWS::Lambda::Function' },
        ],
      });
      expect(local.body.environment.resources).toEqual({
        'AWS::Lambda::Function': 1,
        'AWS::SQS::Queue': 1,
      });
      const synthesized = expectConforms(
        'GET',
        '/environments/{id}/resources',
        await request(app).get(
          `/environments/${local.body.environment.id}/resources`,
        ),
      );
      expect(synthesized.status).toBe(200);
      expect(synthesized.body).toMatchObject({
        source: 'synthesized',
        items: [
          { logicalId: 'Handler', type: 'AWS::Lambda::Function' },
          { logicalId: 'Queue', type: 'AWS::SQS::Queue' },
        ],
      });

      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        resources: [
          {
            logicalId: 'Table',
            type: 'AWS::DynamoDB::Table',
            physicalId: 'orders-dev-table',
          },
        ],
      });
      const aws = await register(app);
      const read = expectConforms(
        'GET',
        '/environments/{id}/resources',
        await request(app).get(
          `/environments/${aws.body.environment.id}/resources`,
        ),
      );
      expect(read.body).toMatchObject({
        source: 'cloudformation',
        items: [
          {
            logicalId: 'Table',
            type: 'AWS::DynamoDB::Table',
            physicalId: 'orders-dev-table',
            status: 'CREATE_COMPLETE',
          },
        ],
      });
      expect(server.callCount.ListStackResources).toBe(1);

      const missing = expectConforms(
        'GET',
        '/environments/{id}/resources',
        await request(app).get(
          '/environments/00000000-0000-4000-8000-000000000000/resources',
        ),
      );
      expect(missing.status).toBe(404);
      expect(
        expectConforms(
          'GET',
          '/environments/{id}/resources',
          await request(app).get('/environments/nope/resources'),
        ).status,
      ).toBe(400);
    });

    it('answers 503 with the reason when CloudFormation cannot be read and nothing is stored', async () => {
      const { app } = await setup();
      const { body } = await register(app);
      server.throttle.ListStackResources = 10;
      const res = expectConforms(
        'GET',
        '/environments/{id}/resources',
        await request(app).get(
          `/environments/${body.environment.id}/resources`,
        ),
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/Rate exceeded/);
    });

    it('rejects invalid synthesized resources with the problem (400)', async () => {
      const { app } = await setup();
      const res = await register(app, {
        ...deployment,
        stackResources: [{ logicalId: 'my-queue', type: 'AWS::SQS::Queue' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /stackResources\.0\.logicalId: must be a CloudFormation logical id/,
      );
    });

    it('tears down (202), repeats idempotently, and serves the operation', async () => {
      const { app, auditEvents } = await setup();
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
      });
      const { body } = await register(app);
      const id = body.environment.id;
      const first = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(`/environments/${id}/teardown`),
      );
      expect(first.status).toBe(202);
      expect(first.body.operation).toMatchObject({
        type: 'teardown',
        state: 'running',
      });
      const again = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(`/environments/${id}/teardown`),
      );
      expect(again.status).toBe(202);
      expect(again.body.operation.id).toBe(first.body.operation.id);
      expect(server.callCount.DeleteStack).toBe(1);
      const teardownEvents = auditEvents.filter(
        e => e.eventId === 'environment-teardown',
      );
      expect(teardownEvents).toHaveLength(2);
      expect(teardownEvents[0]).toMatchObject({
        outcome: 'success',
        meta: expect.objectContaining({
          actor: 'user:default/mock',
          stackName: 'orders-dev',
        }),
      });
      const op = expectConforms(
        'GET',
        '/operations/{id}',
        await request(app).get(`/operations/${first.body.operation.id}`),
      );
      expect(op.body).toMatchObject({
        id: first.body.operation.id,
        environmentId: id,
      });
      const noOp = expectConforms(
        'GET',
        '/operations/{id}',
        await request(app).get(
          '/operations/00000000-0000-4000-8000-000000000000',
        ),
      );
      expect(noOp.status).toBe(404);
    });

    it('refuses teardown without permission (403), audited as failed', async () => {
      const { app, auditEvents } = await setupOwned();
      const { body } = await register(app);
      const res = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app)
          .post(`/environments/${body.environment.id}/teardown`)
          .set('Authorization', eveHeader),
      );
      expect(res.status).toBe(403);
      expect(server.callCount.DeleteStack).toBeUndefined();
      expect(
        auditEvents.find(e => e.eventId === 'environment-teardown'),
      ).toMatchObject({ outcome: 'fail', meta: { actor: 'user:default/eve' } });
    });

    it('refuses teardown of protected environments with the reason (409)', async () => {
      const { app } = await setup();
      const { body } = await register(app, {
        ...deployment,
        stage: 'prod',
        stackName: 'orders-prod',
      });
      const res = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(
          `/environments/${body.environment.id}/teardown`,
        ),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'Environment "orders-prod" is protected: stage "prod" is a protected stage',
      );
      expect(server.callCount.DeleteStack).toBeUndefined();
    });

    it('refuses teardown while a deploy runs (409) and 404 for unknown ids', async () => {
      const { app } = await setup();
      const { body } = await register(app, {
        ...deployment,
        status: 'deploying',
      });
      const busy = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(
          `/environments/${body.environment.id}/teardown`,
        ),
      );
      expect(busy.status).toBe(409);
      expect(busy.body.error.message).toMatch(/deploy in progress/);
      const missing = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(
          '/environments/00000000-0000-4000-8000-000000000000/teardown',
        ),
      );
      expect(missing.status).toBe(404);
    });

    it('tears down a local preview at once, without AWS', async () => {
      const { app } = await setup();
      const { body } = await register(app, { ...deployment, target: 'local' });
      const res = expectConforms(
        'POST',
        '/environments/{id}/teardown',
        await request(app).post(
          `/environments/${body.environment.id}/teardown`,
        ),
      );
      expect(res.body.operation.state).toBe('succeeded');
      expect(server.totalCalls()).toBe(0);
    });

    it('extends a preview (200), never shortening it, and 409 for non-previews', async () => {
      const { app } = await setup();
      const expiresAt = new Date(Date.now() + 48 * 3600_000).toISOString();
      const preview = await register(app, { ...deployment, expiresAt });
      const id = preview.body.environment.id;
      const shorter = expectConforms(
        'POST',
        '/environments/{id}/extend',
        await request(app)
          .post(`/environments/${id}/extend`)
          .send({ hours: 1 }),
      );
      expect(shorter.status).toBe(200);
      expect(shorter.body.expiresAt).toBe(expiresAt);
      const longer = expectConforms(
        'POST',
        '/environments/{id}/extend',
        await request(app)
          .post(`/environments/${id}/extend`)
          .send({ hours: 72 }),
      );
      expect(Date.parse(longer.body.expiresAt)).toBeGreaterThan(
        Date.parse(expiresAt),
      );
      const tooLong = expectConforms(
        'POST',
        '/environments/{id}/extend',
        await request(app)
          .post(`/environments/${id}/extend`)
          .send({ hours: 500 }),
      );
      expect(tooLong.status).toBe(400);
      const plain = await register(app, {
        ...deployment,
        stackName: 'orders-qa',
        stage: 'qa',
      });
      const notPreview = expectConforms(
        'POST',
        '/environments/{id}/extend',
        await request(app)
          .post(`/environments/${plain.body.environment.id}/extend`)
          .send({ hours: 2 }),
      );
      expect(notPreview.status).toBe(409);
    });
    describe('authorization of every mutation, for the person who asked', () => {
      it("refuses to register a deployment for another team's entity (403): nothing changes, audited as that person", async () => {
        const { app, store, auditEvents } = await setupOwned();
        const mine = await register(app);
        expect(mine.status).toBe(201);
        const before = await store.getEnvironment(mine.body.environment.id);

        // eve's template names ada's entity and its existing stack.
        const res = expectConforms(
          'POST',
          '/environments',
          await request(app)
            .post('/environments')
            .set('Authorization', scaffolderForEve)
            .send({ ...deployment, status: 'deploying', outputs: {} }),
        );
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          'You may not deploy environments of component:default/orders: that needs the stackyard.environment.deploy permission (granted to its owners)',
        );
        expect(await store.getEnvironment(mine.body.environment.id)).toEqual(
          before,
        );
        // ...nor a new stack of it.
        const fresh = await request(app)
          .post('/environments')
          .set('Authorization', scaffolderForEve)
          .send({ ...deployment, stackName: 'orders-qa', stage: 'qa' });
        expect(fresh.status).toBe(403);
        const listed = await store.listEnvironments({
          entityRef: 'component:default/orders',
          limit: 10,
        });
        expect(listed.items.map(e => e.stackName)).toEqual(['orders-dev']);

        const deploys = auditEvents.filter(
          e => e.eventId === 'environment-deploy',
        );
        expect(deploys).toEqual([
          expect.objectContaining({
            outcome: 'success',
            resultMeta: expect.objectContaining({
              actor: 'user:default/ada',
              entityRef: 'component:default/orders',
              permission: 'stackyard.environment.deploy',
              stackName: 'orders-dev',
            }),
          }),
          expect.objectContaining({
            outcome: 'fail',
            resultMeta: expect.objectContaining({
              actor: 'user:default/eve',
              entityRef: 'component:default/orders',
            }),
          }),
          expect.objectContaining({
            outcome: 'fail',
            resultMeta: expect.objectContaining({ actor: 'user:default/eve' }),
          }),
        ]);
      });

      it('records the person, not the scaffolder, as the actor of deployments', async () => {
        const { app, auditEvents } = await setupOwned();
        const res = await register(app);
        expect(res.body.operation.actor).toBe('user:default/ada');
        expect(res.body.environment.createdBy).toBe('user:default/ada');
        expect(
          JSON.stringify(auditEvents.map(e => [e.meta, e.resultMeta])),
        ).not.toContain('plugin:scaffolder');
      });

      it('still refuses a plain user token, and audits the refusal', async () => {
        const { app, auditEvents } = await setupOwned();
        const res = await request(app)
          .post('/environments')
          .set('Authorization', userHeader)
          .send(deployment);
        expect(res.status).toBe(403);
        expect(auditEvents).toEqual([
          expect.objectContaining({
            eventId: 'environment-deploy',
            outcome: 'fail',
            error: expect.stringMatching(/service token/),
            meta: { actor: 'user:default/ada' },
          }),
        ]);
      });

      it("refuses to extend another team's preview (403): expiry unchanged; the owner may (200); both audited", async () => {
        const { app, store, auditEvents } = await setupOwned();
        const expiresAt = new Date(Date.now() + 2 * 3600_000).toISOString();
        const { body } = await register(app, { ...deployment, expiresAt });
        const id = body.environment.id;
        const refused = expectConforms(
          'POST',
          '/environments/{id}/extend',
          await request(app)
            .post(`/environments/${id}/extend`)
            .set('Authorization', eveHeader)
            .send({ hours: 72 }),
        );
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toMatch(
          /^You may not extend previews of component:default\/orders/,
        );
        expect((await store.getEnvironment(id))!.expiresAt).toBe(expiresAt);
        const allowed = expectConforms(
          'POST',
          '/environments/{id}/extend',
          await request(app)
            .post(`/environments/${id}/extend`)
            .set('Authorization', userHeader)
            .send({ hours: 72 }),
        );
        expect(allowed.status).toBe(200);
        expect(Date.parse(allowed.body.expiresAt)).toBeGreaterThan(
          Date.parse(expiresAt),
        );
        expect(
          auditEvents
            .filter(e => e.eventId === 'environment-extend')
            .map(e => [e.outcome, (e.resultMeta as any).actor]),
        ).toEqual([
          ['fail', 'user:default/eve'],
          ['success', 'user:default/ada'],
        ]);
      });
    });

    describe('registration invariants', () => {
      it('refuses a stack name that is not <prefix>-<stage> (400)', async () => {
        const { app } = await setup();
        const res = await register(app, {
          ...deployment,
          prefix: 'wo',
          stage: 'dev',
          stackName: 'wo-prod',
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /stackName: stack name "wo-prod" must be "<prefix>-<stage>", i.e. "wo-dev"/,
        );
      });

      it('cannot take a protected environment out of protection by re-registering it', async () => {
        const { app, store } = await setup();
        const prod = await register(app, {
          ...deployment,
          prefix: 'wo',
          stage: 'prod',
          stackName: 'wo-prod',
        });
        expect(prod.body.environment.protected).toBe(true);
        // The attack of the finding: the prod stack registered as stage dev.
        const restaged = await register(app, {
          ...deployment,
          prefix: 'wo',
          stage: 'dev',
          stackName: 'wo-prod',
        });
        expect(restaged.status).toBe(400);
        // A registered-protected environment registered unprotected.
        const flagged = await register(app, { ...deployment, protected: true });
        const unflagged = await register(app, {
          ...deployment,
          protected: false,
        });
        expect(unflagged.status).toBe(409);
        expect(unflagged.body.error.message).toBe(
          'Environment "orders-dev" is protected (the environment was registered as protected); a registration cannot remove its protection',
        );
        for (const id of [
          prod.body.environment.id,
          flagged.body.environment.id,
        ]) {
          expect((await store.getEnvironment(id))!.protected).toBe(true);
          const teardown = await request(app).post(
            `/environments/${id}/teardown`,
          );
          expect(teardown.status).toBe(409);
        }
      });
    });

    it('matches environment ids case-insensitively on every REST route', async () => {
      const { app } = await setup();
      const expiresAt = new Date(Date.now() + 2 * 3600_000).toISOString();
      const { body } = await register(app, {
        ...deployment,
        target: 'local',
        expiresAt,
      });
      const upper = String(body.environment.id).toUpperCase();
      const one = expectConforms(
        'GET',
        '/environments/{id}',
        await request(app).get(`/environments/${upper}`),
      );
      expect(one.status).toBe(200);
      expect(one.body.environment.id).toBe(body.environment.id);
      expect(
        (await request(app).get(`/environments/${upper}/resources`)).status,
      ).toBe(200);
      const extended = await request(app)
        .post(`/environments/${upper}/extend`)
        .send({ hours: 24 });
      expect(extended.status).toBe(200);
      const torn = await request(app).post(`/environments/${upper}/teardown`);
      expect(torn.status).toBe(202);
      expect(
        (
          await request(app).get(
            `/operations/${torn.body.operation.id.toUpperCase()}`,
          )
        ).status,
      ).toBe(200);
    });
  },
);

describe('router and OpenAPI spec (loopback AWS)', () => {
  it('serves exactly the routes the spec declares', async () => {
    const server = await LoopbackAws.start();
    try {
      const knex = await databases.init('SQLITE_3');
      // With every optional part: the catalog and an upgrade engine give
      // the template routes (no upgrade runs here).
      const { router } = await createReplica({
        knex,
        server,
        catalog: catalogServiceMock(),
        templateUpgradeEngine: async () => {
          throw new Error('No upgrade runs in this test');
        },
      });
      const served = (router as any).stack
        .filter((layer: any) => layer.route)
        .flatMap((layer: any) =>
          Object.keys(layer.route.methods).map(
            m =>
              `${m.toUpperCase()} ${layer.route.path.replace(
                /:(\w+)/g,
                '{$1}',
              )}`,
          ),
        );
      const declared = Object.entries(spec.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map(m => `${m.toUpperCase()} ${path}`),
      );
      expect(served.sort()).toEqual(declared.sort());
    } finally {
      await server.stop();
    }
  });
});
