import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { stackyardRoutes } from '@stackyard/plugin-stackyard-common';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
import { seedContainerPrices } from '../__testUtils__/loopbackPrices';
import { createReplica } from '../__testUtils__/replica';
import { costWindow } from './CostRefresher';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Values a leak would carry verbatim. */
const ACCESS_KEY = 'AKIAH17CLEAKCANARY01';
const SECRET = 'h17c/secret+canary/0123456789abcdefghijklmn';
const SECRETS = [
  ACCESS_KEY,
  SECRET,
  // the loopback endpoint's own static credentials
  'AKIDLOOPBACK',
  'loopback-secret',
];

const scaffolderForAda = `Bearer ${mockCredentials.user.token(
  'user:default/ada',
  { actor: { subject: 'plugin:scaffolder' } },
)}`;
const adaHeader = mockCredentials.user.header('user:default/ada');

describe.each(databases.eachSupportedId())(
  'credentials stay server-side on %s (loopback AWS endpoint)',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    it('no answer of any route the browser reads carries the aws.accounts credentials, after every AWS call was made with them (loopback AWS endpoint)', async () => {
      const configured = DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader({
          aws: {
            accounts: [
              {
                accountId: aws.account,
                accessKeyId: ACCESS_KEY,
                secretAccessKey: SECRET,
              },
            ],
          },
        }),
      );
      const used: string[] = [];
      const credentialsManager: AwsCredentialsManager = {
        async getCredentialProvider(options) {
          const provider = await configured.getCredentialProvider(options);
          const resolved = await provider.sdkCredentialProvider();
          used.push(resolved.accessKeyId);
          return provider;
        },
      };
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server: aws,
        aws: {
          credentialsManager,
          retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
        },
      });
      const { app } = replica;
      seedContainerPrices(aws.pricing);
      aws.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        template: { Resources: {} },
        resources: [],
      });
      aws.costExplorer.records.push({
        date: costWindow(new Date()).days[29],
        tags: { 'stackyard:prefix': 'orders', 'stackyard:stage': 'dev' },
        usd: 3,
      });

      const bodies: { route: string; text: string }[] = [];
      const keep = (route: string, res: request.Response) => {
        bodies.push({
          route,
          text: `${JSON.stringify(res.headers)}\n${res.text}`,
        });
        return res;
      };

      const registered = keep(
        'POST /environments',
        await request(app)
          .post('/environments')
          .set('Authorization', scaffolderForAda)
          .send({
            entityRef: 'component:default/orders',
            target: 'sandbox',
            prefix: 'orders',
            stage: 'dev',
            stackName: 'orders-dev',
            status: 'ready',
            costCenter: 'CC-1',
          }),
      );
      expect(registered.status).toBe(201);
      const id = registered.body.environment.id;
      const operationId = registered.body.operation.id;

      // Every kind of AWS call: Price List, Cost Explorer, CloudFormation, CloudWatch.
      expect(
        keep(
          'POST /cost/estimates',
          await request(app)
            .post('/cost/estimates')
            .set('Authorization', scaffolderForAda)
            .send({
              entityRef: 'component:default/orders',
              target: 'sandbox',
              stage: 'dev',
              template: {
                Resources: { Nat: { Type: 'AWS::EC2::NatGateway' } },
              },
            }),
        ).status,
      ).toBe(200);
      await replica.cost.refresher.refreshOnce();
      await replica.reconciler.reconcileOnce();
      keep(
        'POST /environments/{id}/drift',
        await request(app)
          .post(`/environments/${id}/drift`)
          .set('Authorization', adaHeader),
      );
      expect(aws.callsOf('pricing')).toContain('GetProducts');
      expect(aws.callsOf('ce')).toEqual(['GetCostAndUsage']);
      expect(aws.callsOf('cloudformation')).toContain('DescribeStacks');
      expect(new Set(used)).toEqual(new Set([ACCESS_KEY]));

      // Every GET route of the API (what the Infra tab, platform page and wizard read).
      const params: Record<string, string> = { id, name: 'service' };
      const gets = Object.values(stackyardRoutes).filter(
        r => r.method === 'get',
      );
      for (const route of gets) {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          route.path.startsWith('/operations') ? operationId : params[name],
        );
        const res = keep(
          `GET ${route.path}`,
          await request(app).get(path).set('Authorization', adaHeader),
        );
        expect(res.status).toBeLessThan(500);
      }
      expect(bodies.map(b => b.route)).toEqual(
        expect.arrayContaining([
          'GET /targets',
          'GET /environments/{id}/cost',
          'GET /cost/centers',
          'GET /environments/{id}',
          'GET /environments/{id}/resources',
        ]),
      );
      const cost = bodies.find(b => b.route === 'GET /environments/{id}/cost');
      expect(cost?.text).toContain('"totalUsd":3');

      for (const { route, text } of bodies) {
        for (const secret of SECRETS) {
          expect({ route, leaked: text.includes(secret) }).toEqual({
            route,
            leaked: false,
          });
        }
      }
    });
  },
);
