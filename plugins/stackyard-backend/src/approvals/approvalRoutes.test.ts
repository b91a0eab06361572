import {
  CreateChangeSetCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ApprovalDiff } from '@stackyard/plugin-stackyard-common';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
import { DefaultAwsClientFactory } from '../aws/AwsClientFactory';
import {
  loopbackAwsClients,
  loopbackTarget,
} from '../__testUtils__/loopbackAws';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { createReplica } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ENTITY = 'component:default/orders';
const STACK = 'orders-dev';
const ADA = 'user:default/ada'; // owns orders, starts the deploys, is an approver too
const CAROL = 'user:default/carol'; // an approver
const DAN = 'user:default/dan'; // another approver
const EVE = 'user:default/eve'; // neither

const scaffolderFor = (user: string) =>
  `Bearer ${mockCredentials.user.token(user, {
    actor: { subject: 'plugin:scaffolder' },
  })}`;
const header = (user: string) => mockCredentials.user.header(user);

/** As the shipped policy decides: deploys for owners, approvals for the approver group. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    requests.map(r => {
      const principal = (credentials as BackstageCredentials).principal as {
        type: string;
        userEntityRef?: string;
      };
      const user = principal.userEntityRef ?? '';
      const allowed =
        principal.type === 'service' ||
        (r.permission.name === 'stackyard.deploy.approve'
          ? [ADA, CAROL, DAN].includes(user)
          : user === ADA);
      return {
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }) as any,
});

const QUEUE = {
  Type: 'AWS::SQS::Queue',
  Properties: { VisibilityTimeout: 30 },
};
const ROLE = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    },
  },
};
const DIFF: ApprovalDiff = {
  iamStatements: [
    {
      change: 'added',
      resource: '${Role.Arn}',
      effect: 'Allow',
      action: 'sts:AssumeRole',
      principal: 'Service:lambda.amazonaws.com',
      condition: '',
    },
  ],
  managedPolicies: [],
  securityGroupRules: [
    {
      change: 'added',
      direction: 'ingress',
      group: '${Web.GroupId}',
      protocol: 'TCP 443',
      peer: 'Everyone (IPv4)',
    },
  ],
  replacedResources: [
    { logicalId: 'Queue', resourceType: 'AWS::SQS::Queue', impact: 'replace' },
  ],
};

const replicas = new Map<unknown, Awaited<ReturnType<typeof createReplica>>>();
const replicaOf = (app: unknown) => replicas.get(app)!;

describe.each(databases.eachSupportedId())(
  'approval routes on %s with a loopback AWS endpoint',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    async function setup() {
      const knex = await databases.init(databaseId);
      const replica = await createReplica({ knex, server: aws, permissions });
      const cfn = await DefaultAwsClientFactory.create(
        loopbackAwsClients,
      ).cloudFormation(loopbackTarget(aws));
      aws.cloudFormation.addStack({
        name: STACK,
        status: 'CREATE_COMPLETE',
        template: { Resources: { Queue: QUEUE } },
        resources: [
          { logicalId: 'Queue', type: 'AWS::SQS::Queue', physicalId: 'q-1' },
        ],
        tags: { 'stackyard:entity-ref': ENTITY },
      });
      /** A change set adding a role, as a held deploy leaves it. */
      const changeSet = async (name: string) => {
        await cfn.send(
          new CreateChangeSetCommand({
            StackName: STACK,
            ChangeSetName: name,
            ChangeSetType: 'UPDATE',
            TemplateBody: JSON.stringify({
              Resources: { Queue: QUEUE, Role: ROLE },
              Outputs: {
                RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
              },
            }),
          }),
        );
        return name;
      };
      /** The scaffolder records ada's deploy as held for approval. */
      const hold = async (name: string, auth = scaffolderFor(ADA)) =>
        request(replica.app)
          .post('/environments')
          .set('Authorization', auth)
          .send({
            entityRef: ENTITY,
            target: 'sandbox',
            prefix: 'orders',
            stage: 'dev',
            stackName: STACK,
            status: 'awaiting-approval',
            approval: { changeSetName: await changeSet(name), diff: DIFF },
          });
      const decide = (id: string, user: string, body: object) =>
        request(replica.app)
          .post(`/environments/${id}/approval`)
          .set('Authorization', header(user))
          .send(body);
      const follow = async (operationId: string) => {
        for (let i = 0; i < 200; i++) {
          await replica.tracker.trackOnce();
          const op = await replica.store.getOperation(operationId);
          if (op?.finishedAt) return op;
          await new Promise(r => setTimeout(r, 10));
        }
        throw new Error(`operation ${operationId} never finished`);
      };
      replicas.set(replica.app, replica);
      return { ...replica, cfn, hold, decide, follow };
    }

    it('holds a broadening deploy with its diff; refuses a non-approver and the initiator; an approver executes that change set, followed live to ready', async () => {
      const { app, hold, decide, follow, auditEvents, store } = await setup();
      const held = await hold('stackyard-held-1');
      expectConforms('POST', '/environments', held);
      expect(held.status).toBe(201);
      const id = held.body.environment.id as string;
      expect(held.body.environment.status).toBe('awaiting-approval');
      // The stack is unchanged while the change set waits: no news.
      await replicaOf(app).reconciler.reconcileOnce();
      expect((await store.getEnvironment(id))!.status).toBe(
        'awaiting-approval',
      );

      const shown = await request(app)
        .get(`/environments/${id}/approval`)
        .set('Authorization', header(EVE));
      expectConforms('GET', '/environments/{id}/approval', shown);
      expect(shown.body).toMatchObject({
        state: 'pending',
        changeSetName: 'stackyard-held-1',
        changeSetId: expect.stringMatching(
          /^arn:aws:cloudformation:.*:changeSet\/stackyard-held-1\//,
        ),
        requestedBy: ADA,
        diff: DIFF,
      });

      const byEve = await decide(id, EVE, { decision: 'approve' });
      expectConforms('POST', '/environments/{id}/approval', byEve);
      expect(byEve.status).toBe(403);
      expect(byEve.body.error.message).toContain(
        'needs the stackyard.deploy.approve permission',
      );
      // A service token passes the permission framework, but is no person.
      const byService = await request(app)
        .post(`/environments/${id}/approval`)
        .set('Authorization', mockCredentials.service.header())
        .send({ decision: 'approve' });
      expect(byService.status).toBe(403);
      expect(byService.body.error.message).toContain(
        'not with a service token',
      );
      const byAda = await decide(id, ADA, { decision: 'approve' });
      expect(byAda.status).toBe(403);
      expect(byAda.body.error.message).toContain(
        'You started this deploy of orders-dev',
      );
      // Neither refusal changed anything.
      expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
      expect((await store.getEnvironment(id))!.status).toBe(
        'awaiting-approval',
      );

      const byCarol = await decide(id, CAROL, {
        decision: 'approve',
        comment: 'the role is for the new worker',
      });
      expectConforms('POST', '/environments/{id}/approval', byCarol);
      expect(byCarol.status).toBe(200);
      expect(byCarol.body.approval).toMatchObject({
        state: 'approved',
        decidedBy: CAROL,
        comment: 'the role is for the new worker',
      });
      expect(byCarol.body.operation).toMatchObject({
        type: 'approved-deploy',
        state: 'running',
        actor: CAROL,
      });
      expect(aws.callsOf('cloudformation')).toContain('ExecuteChangeSet');

      const done = await follow(byCarol.body.operation.id);
      expect(done.state).toBe('succeeded');
      const environment = (await store.getEnvironment(id))!;
      expect(environment.status).toBe('ready');
      expect(environment.outputs.RoleArn).toMatch(/Role/);
      const stack = aws.cloudFormation.stacks.get(STACK)!;
      expect(stack.status).toBe('UPDATE_COMPLETE');
      expect(Object.keys(stack.template.Resources ?? {})).toEqual([
        'Queue',
        'Role',
      ]);
      const events = await store.listEvents(id, 50);
      expect(
        events.some(
          e => e.logicalResourceId === 'Role' && e.operationId === done.id,
        ),
      ).toBe(true);

      const again = await decide(id, CAROL, { decision: 'approve' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('already approved by');

      const audits = auditEvents.filter(
        e => e.eventId === 'environment-approval',
      );
      expect(audits.map(e => [(e.meta as any).actor, e.outcome])).toEqual([
        [EVE, 'fail'],
        ['service:external:test-service', 'fail'],
        [ADA, 'fail'],
        [CAROL, 'success'],
        [CAROL, 'fail'],
      ]);
    });

    it('rejects: the change set is deleted, the stack stays as it was, audited', async () => {
      const { hold, decide, auditEvents, store } = await setup();
      const id = (await hold('stackyard-held-2')).body.environment.id;
      const res = await decide(id, CAROL, {
        decision: 'reject',
        comment: 'no wildcard ingress',
      });
      expectConforms('POST', '/environments/{id}/approval', res);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        approval: expect.objectContaining({
          state: 'rejected',
          decidedBy: CAROL,
          comment: 'no wildcard ingress',
        }),
      });
      const stack = aws.cloudFormation.stacks.get(STACK)!;
      expect(stack.changeSets.size).toBe(0);
      expect(aws.callsOf('cloudformation')).toContain('DeleteChangeSet');
      expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
      expect(stack.status).toBe('CREATE_COMPLETE');
      const environment = (await store.getEnvironment(id))!;
      expect(environment.status).toBe('ready');
      expect(environment.statusReason).toContain(`Deploy rejected by ${CAROL}`);
      expect(
        auditEvents.find(e => e.eventId === 'environment-approval'),
      ).toMatchObject({ outcome: 'success' });
    });

    it('refuses a change set that went stale (another change set of the stack ran meanwhile) with 409, and deletes it', async () => {
      const { hold, decide, cfn, store, app } = await setup();
      const id = (await hold('stackyard-held-3')).body.environment.id;
      // Someone else's change runs first: CloudFormation drops the others.
      await cfn.send(
        new CreateChangeSetCommand({
          StackName: STACK,
          ChangeSetName: 'hotfix',
          ChangeSetType: 'UPDATE',
          TemplateBody: JSON.stringify({
            Resources: {
              Queue: { ...QUEUE, Properties: { VisibilityTimeout: 60 } },
            },
          }),
        }),
      );
      await cfn.send(
        new ExecuteChangeSetCommand({
          StackName: STACK,
          ChangeSetName: 'hotfix',
        }),
      );

      const res = await decide(id, CAROL, { decision: 'approve' });
      expectConforms('POST', '/environments/{id}/approval', res);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /change set of "orders-dev" went stale and was not executed: CloudFormation no longer has it.*run the deploy again/,
      );
      const approval = await request(app)
        .get(`/environments/${id}/approval`)
        .set('Authorization', header(EVE));
      expect(approval.body).toMatchObject({ state: 'stale', decidedBy: CAROL });
      expect((await store.getEnvironment(id))!.status).not.toBe(
        'awaiting-approval',
      );
    });

    it('refuses a change set older than the last update of its stack', async () => {
      const { hold, decide } = await setup();
      const id = (await hold('stackyard-held-4')).body.environment.id;
      aws.cloudFormation.stacks.get(STACK)!.lastUpdatedTime = new Date(
        Date.now() + 1000,
      );
      const res = await decide(id, CAROL, { decision: 'approve' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('after the change set was made');
      expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
      expect(aws.cloudFormation.stacks.get(STACK)!.changeSets.size).toBe(0);
    });

    it('an approved change set that fails is rolled back by CloudFormation and the environment ends failed', async () => {
      const { hold, decide, follow, store } = await setup();
      const id = (await hold('stackyard-held-5')).body.environment.id;
      aws.cloudFormation.failOn('AWS::IAM::Role', 'Role limit exceeded');
      const res = await decide(id, CAROL, { decision: 'approve' });
      expect(res.status).toBe(200);
      const done = await follow(res.body.operation.id);
      expect(done.state).toBe('failed');
      expect(done.error).toContain('UPDATE_ROLLBACK_COMPLETE');
      expect((await store.getEnvironment(id))!.status).toBe('failed');
      expect(aws.cloudFormation.stacks.get(STACK)!.status).toBe(
        'UPDATE_ROLLBACK_COMPLETE',
      );
    });

    it("rejecting a service's first deploy deletes its change set and the empty stack in review", async () => {
      const { app, cfn, store } = await setup();
      await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'orders-preview',
          ChangeSetName: 'stackyard-first',
          ChangeSetType: 'CREATE',
          TemplateBody: JSON.stringify({ Resources: { Role: ROLE } }),
        }),
      );
      expect(aws.cloudFormation.stacks.get('orders-preview')!.status).toBe(
        'REVIEW_IN_PROGRESS',
      );
      const held = await request(app)
        .post('/environments')
        .set('Authorization', scaffolderFor(ADA))
        .send({
          entityRef: ENTITY,
          target: 'sandbox',
          prefix: 'orders',
          stage: 'preview',
          stackName: 'orders-preview',
          status: 'awaiting-approval',
          approval: { changeSetName: 'stackyard-first', diff: DIFF },
        });
      expect(held.status).toBe(201);
      const id = held.body.environment.id;
      // The reconciler leaves a stack in review awaiting approval.
      await replicaOf(app).reconciler.reconcileOnce();
      expect((await store.getEnvironment(id))!.status).toBe(
        'awaiting-approval',
      );

      const res = await request(app)
        .post(`/environments/${id}/approval`)
        .set('Authorization', header(CAROL))
        .send({ decision: 'reject' });
      expect(res.status).toBe(200);
      expect(aws.cloudFormation.stacks.has('orders-preview')).toBe(false);
      const environment = (await store.getEnvironment(id))!;
      expect(environment.status).toBe('deleted');
      expect(environment.statusReason).toContain('nothing was created');
    });

    it('a newer held deploy replaces the pending request, and its change set is deleted', async () => {
      const { hold, app } = await setup();
      const id = (await hold('stackyard-older')).body.environment.id;
      expect((await hold('stackyard-newer')).status).toBe(200);
      expect([
        ...aws.cloudFormation.stacks.get(STACK)!.changeSets.keys(),
      ]).toEqual(['stackyard-newer']);
      const shown = await request(app)
        .get(`/environments/${id}/approval`)
        .set('Authorization', header(EVE));
      expect(shown.body).toMatchObject({
        state: 'pending',
        changeSetName: 'stackyard-newer',
      });
    });

    it('of two approvers deciding at once, one executes the change set and the other gets 409', async () => {
      const { hold, decide } = await setup();
      const id = (await hold('stackyard-held-6')).body.environment.id;
      const answers = await Promise.all([
        decide(id, CAROL, { decision: 'approve' }),
        decide(id, DAN, { decision: 'approve' }),
      ]);
      expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
      expect(aws.callCount.ExecuteChangeSet).toBe(1);
    });

    it('records a held deploy only for a person, with a change set its stack has', async () => {
      const { hold, app } = await setup();
      const ci = await hold('stackyard-ci', mockCredentials.service.header());
      expect(ci.status).toBe(403);
      expect(ci.body.error.message).toContain('CI refuses broadening');

      const missing = await request(app)
        .post('/environments')
        .set('Authorization', scaffolderFor(ADA))
        .send({
          entityRef: ENTITY,
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: STACK,
          status: 'awaiting-approval',
          approval: { changeSetName: 'stackyard-nope', diff: DIFF },
        });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain(
        'has no change set "stackyard-nope"',
      );
      const noDiff = await request(app)
        .post('/environments')
        .set('Authorization', scaffolderFor(ADA))
        .send({
          entityRef: ENTITY,
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: STACK,
          status: 'awaiting-approval',
        });
      expect(noDiff.status).toBe(400);
    });
  },
);
