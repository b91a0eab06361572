import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const scaffolderForAda = `Bearer ${mockCredentials.user.token(
  'user:default/ada',
  { actor: { subject: 'plugin:scaffolder' } },
)}`;
const adaHeader = mockCredentials.user.header('user:default/ada');
const eveHeader = mockCredentials.user.header('user:default/eve');

const template = {
  Resources: {
    Handler: {
      Type: 'AWS::Lambda::Function',
      Properties: { MemorySize: 128, Timeout: 3 },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
  },
};

describe.each(databases.eachSupportedId())(
  'drift routes on %s with a loopback AWS endpoint',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    /** ada owns component:default/orders, whose orders-dev stack is deployed. */
    async function setup(options: { maxDriftChecksPerAccount?: number } = {}) {
      const knex = await databases.init(databaseId);
      const ownership = permissionsByOwnership({
        'component:default/orders': ['user:default/ada'],
      });
      const replica = await createReplica({
        knex,
        server: aws,
        permissions: ownership.permissions,
        ...options,
      });
      const deploy = async (stackName: string, target = 'sandbox') => {
        if (target === 'sandbox') {
          aws.cloudFormation.addStack({
            name: stackName,
            status: 'CREATE_COMPLETE',
            template,
            resources: [
              {
                logicalId: 'Handler',
                type: 'AWS::Lambda::Function',
                physicalId: `${stackName}-fn`,
              },
              {
                logicalId: 'Queue',
                type: 'AWS::SQS::Queue',
                physicalId: `${stackName}-q`,
              },
            ],
          });
        }
        const [prefix, stage] = [
          stackName.replace(/-[^-]+$/, ''),
          stackName.split('-').pop(),
        ];
        const res = await request(replica.app)
          .post('/environments')
          .set('Authorization', scaffolderForAda)
          .send({
            entityRef: 'component:default/orders',
            target,
            prefix,
            stage,
            stackName,
            status: 'ready',
          });
        expect(res.status).toBe(201);
        return res.body.environment.id as string;
      };
      return { ...replica, deploy };
    }

    it('checks drift for an owner: MODIFIED with expected vs actual, summary on the environment, audited, live update', async () => {
      const { app, deploy, drift, auditEvents, messages } = await setup();
      const id = await deploy('orders-dev');
      aws.cloudFormation.driftResource('orders-dev', 'Handler', {
        MemorySize: 512,
        Timeout: 3,
      });

      const never = await request(app)
        .get(`/environments/${id}/drift`)
        .set('Authorization', adaHeader);
      expectConforms('GET', '/environments/{id}/drift', never);
      expect(never.body).toEqual({ resources: [] });

      messages.length = 0;
      const started = await request(app)
        .post(`/environments/${id}/drift`)
        .set('Authorization', adaHeader);
      expectConforms('POST', '/environments/{id}/drift', started);
      expect(started.status).toBe(202);
      expect(started.body).toEqual({
        drift: { status: 'checking', checkedAt: expect.any(String) },
        started: true,
      });
      await drift.checker.idle();

      const report = await request(app)
        .get(`/environments/${id}/drift`)
        .set('Authorization', eveHeader);
      expectConforms('GET', '/environments/{id}/drift', report);
      expect(report.body.drift).toEqual({
        status: 'drifted',
        checkedAt: expect.any(String),
        driftedResources: 1,
      });
      expect(report.body.resources).toEqual([
        {
          logicalId: 'Handler',
          physicalId: 'orders-dev-fn',
          type: 'AWS::Lambda::Function',
          status: 'MODIFIED',
          differences: [
            {
              path: '/MemorySize',
              expected: '128',
              actual: '512',
              type: 'NOT_EQUAL',
            },
          ],
        },
        {
          logicalId: 'Queue',
          physicalId: 'orders-dev-q',
          type: 'AWS::SQS::Queue',
          status: 'IN_SYNC',
          differences: [],
        },
      ]);
      const environment = await request(app)
        .get(`/environments/${id}`)
        .set('Authorization', adaHeader);
      expect(environment.body.environment.drift.status).toBe('drifted');
      // One update when the check started, one when it finished.
      expect(messages.filter(m => m.id === id)).toHaveLength(2);
      expect(
        aws.callsOf('cloudformation').filter(c => /Drift/.test(c)),
      ).toEqual([
        'DetectStackDrift',
        'DescribeStackDriftDetectionStatus',
        'DescribeStackDriftDetectionStatus',
        'DescribeStackResourceDrifts',
      ]);
      expect(
        auditEvents.find(e => e.eventId === 'environment-drift-check'),
      ).toMatchObject({
        outcome: 'success',
        resultMeta: {
          actor: 'user:default/ada',
          entityRef: 'component:default/orders',
          permission: 'stackyard.environment.drift.check',
          started: true,
        },
      });
    });

    it('reads every page of resource drifts, and reports IN_SYNC when nothing changed', async () => {
      const { app, deploy, drift } = await setup();
      const id = await deploy('orders-dev');
      aws.cloudFormation.resourceDriftsPageSize = 1;
      await request(app)
        .post(`/environments/${id}/drift`)
        .set('Authorization', adaHeader)
        .expect(202);
      await drift.checker.idle();
      const report = await request(app)
        .get(`/environments/${id}/drift`)
        .set('Authorization', adaHeader);
      expect(report.body.drift).toMatchObject({
        status: 'in-sync',
        driftedResources: 0,
      });
      expect(report.body.resources.map((r: any) => r.logicalId)).toEqual([
        'Handler',
        'Queue',
      ]);
      expect(aws.callCount.DescribeStackResourceDrifts).toBe(2);
    });

    it('refuses a non-owner (403), audited, and starts nothing', async () => {
      const { app, deploy, auditEvents } = await setup();
      const id = await deploy('orders-dev');
      const res = await request(app)
        .post(`/environments/${id}/drift`)
        .set('Authorization', eveHeader);
      expectConforms('POST', '/environments/{id}/drift', res);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /stackyard\.environment\.drift\.check/,
      );
      expect(aws.callCount.DetectStackDrift).toBeUndefined();
      expect(
        auditEvents.find(e => e.eventId === 'environment-drift-check'),
      ).toMatchObject({ outcome: 'fail' });
      const env = await request(app)
        .get(`/environments/${id}`)
        .set('Authorization', adaHeader);
      expect(env.body.environment.drift).toBeUndefined();
    });

    it('refuses a local preview with 409: nothing to check', async () => {
      const { app, deploy } = await setup();
      const id = await deploy('orders1-dev', 'local');
      const res = await request(app)
        .post(`/environments/${id}/drift`)
        .set('Authorization', adaHeader);
      expectConforms('POST', '/environments/{id}/drift', res);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /Nothing to check: "orders1-dev" is a local preview/,
      );
    });

    it('answers 404 for an unknown environment and 400 for a malformed id', async () => {
      const { app } = await setup();
      const missing = await request(app)
        .post('/environments/2f1e1c1a-0000-4000-8000-000000000000/drift')
        .set('Authorization', adaHeader);
      expect(missing.status).toBe(404);
      const bad = await request(app)
        .get('/environments/not%20an%20id/drift')
        .set('Authorization', adaHeader);
      expect(bad.status).toBe(400);
    });

    it('reuses the check in flight for the same stack, and refuses more than the account allows (409)', async () => {
      const { app, deploy, drift } = await setup({
        maxDriftChecksPerAccount: 1,
      });
      const dev = await deploy('orders-dev');
      const qa = await deploy('orders-qa');
      // In progress until the assertions below are done, however slow the machine.
      aws.cloudFormation.driftDetectionPolls = 1_000_000;
      const first = await request(app)
        .post(`/environments/${dev}/drift`)
        .set('Authorization', adaHeader);
      expect(first.body.started).toBe(true);
      const again = await request(app)
        .post(`/environments/${dev}/drift`)
        .set('Authorization', adaHeader);
      expectConforms('POST', '/environments/{id}/drift', again);
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({
        started: false,
        drift: { status: 'checking' },
      });
      const other = await request(app)
        .post(`/environments/${qa}/drift`)
        .set('Authorization', adaHeader);
      expectConforms('POST', '/environments/{id}/drift', other);
      expect(other.status).toBe(409);
      expect(other.body.error.message).toMatch(
        /1 drift checks already run in account 123456789012/,
      );
      aws.cloudFormation.finishDriftDetections();
      aws.cloudFormation.driftDetectionPolls = 1;
      await drift.checker.idle();
      expect(aws.callCount.DetectStackDrift).toBe(1);
      const later = await request(app)
        .post(`/environments/${qa}/drift`)
        .set('Authorization', adaHeader);
      expect(later.body.started).toBe(true);
      await drift.checker.idle();
    });

    it('records a failed check with the reason when CloudFormation refuses it', async () => {
      const { app, deploy, drift } = await setup();
      const id = await deploy('orders-dev');
      aws.cloudFormation.stacks.get('orders-dev')!.status =
        'UPDATE_IN_PROGRESS';
      await request(app)
        .post(`/environments/${id}/drift`)
        .set('Authorization', adaHeader)
        .expect(202);
      await drift.checker.idle();
      const report = await request(app)
        .get(`/environments/${id}/drift`)
        .set('Authorization', adaHeader);
      expect(report.body.drift).toEqual({
        status: 'failed',
        checkedAt: expect.any(String),
        reason: expect.stringMatching(/UPDATE_IN_PROGRESS/),
      });
    });
  },
);
