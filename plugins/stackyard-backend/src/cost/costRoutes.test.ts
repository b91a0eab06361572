import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { containerServiceTemplate } from '../../../stackyard-common/src/cost/__fixtures__/containerServiceTemplate';
import { seedContainerPrices } from '../__testUtils__/loopbackPrices';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { createReplica } from '../__testUtils__/replica';
import { costWindow } from './CostRefresher';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const scaffolderForAda = `Bearer ${mockCredentials.user.token(
  'user:default/ada',
  { actor: { subject: 'plugin:scaffolder' } },
)}`;
const adaHeader = mockCredentials.user.header('user:default/ada');
const eveHeader = mockCredentials.user.header('user:default/eve');

describe.each(databases.eachSupportedId())(
  'cost routes on %s (loopback AWS endpoint)',
  databaseId => {
    let aws: LoopbackAws;
    beforeEach(async () => {
      aws = await LoopbackAws.start();
    });
    afterEach(() => aws.stop());

    const now = new Date('2026-11-30T15:00:00Z');
    const { days } = costWindow(now);

    async function setup(
      options: Parameters<typeof createReplica>[0]['cost'] = {},
    ) {
      const knex = await databases.init(databaseId);
      const ownership = permissionsByOwnership({
        'component:default/orders': ['user:default/ada'],
      });
      const replica = await createReplica({
        knex,
        server: aws,
        permissions: ownership.permissions,
        now: () => now,
        cost: options,
      });
      const register = async (
        prefix: string,
        stage: string,
        target = 'sandbox',
        costCenter?: string,
      ) => {
        const res = await request(replica.app)
          .post('/environments')
          .set('Authorization', scaffolderForAda)
          .send({
            entityRef: 'component:default/orders',
            target,
            prefix,
            stage,
            stackName: `${prefix}-${stage}`,
            status: 'ready',
            ...(costCenter ? { costCenter } : {}),
          });
        expect(res.status).toBe(201);
        return res.body.environment.id as string;
      };
      const estimate = (body: object, header = scaffolderForAda) =>
        request(replica.app)
          .post('/cost/estimates')
          .set('Authorization', header)
          .send({
            entityRef: 'component:default/orders',
            target: 'sandbox',
            stage: 'dev',
            template: containerServiceTemplate,
            ...body,
          });
      return { ...replica, register, estimate };
    }

    it('estimates a container service from the Price List, caches prices, keeps the estimate per stage and audits it (loopback AWS endpoint)', async () => {
      seedContainerPrices(aws.pricing);
      const { app, register, estimate, auditEvents } = await setup();
      const id = await register('orders', 'dev');

      const res = expectConforms('POST', '/cost/estimates', await estimate({}));
      expect(res.status).toBe(200);
      const { estimate: priced } = res.body;
      expect(priced.region).toBe('eu-west-1');
      expect(priced.unpriced).toEqual([]);
      const line = (label: string) =>
        priced.lineItems.find((l: { label: string }) => l.label === label);
      // 0.048 $/h × 730 h; the NAT gateway's bytes product is ruled out
      expect(line('NAT gateway')).toMatchObject({
        count: 1,
        unitMonthlyUsd: 35.04,
        monthlyUsd: 35.04,
      });
      expect(line('ElastiCache cache.t4g.micro Redis node')).toMatchObject({
        count: 2,
        monthlyUsd: 25.7,
      });
      expect(line('RDS storage gp3 Multi-AZ (GB)')).toMatchObject({
        count: 20,
        monthlyUsd: 5.08,
      });
      expect(priced.summary).toMatch(
        /^Estimated fixed cost: \$\d+\.\d\d\/month in eu-west-1 \(.*NAT gateway 1 × \$35\.04/,
      );
      const lookups = aws.callCount.GetProducts;
      expect(lookups).toBe(13);

      // A second deploy's estimate is priced from the cache.
      expect((await estimate({})).status).toBe(200);
      expect(aws.callCount.GetProducts).toBe(lookups);
      expect(auditEvents.map(e => e.eventId)).toContain('cost-estimate');

      const cost = expectConforms(
        'GET',
        '/environments/{id}/cost',
        await request(app)
          .get(`/environments/${id}/cost`)
          .set('Authorization', adaHeader),
      );
      expect(cost.body.estimate).toMatchObject({
        stage: 'dev',
        target: 'sandbox',
        estimate: { monthlyUsd: priced.monthlyUsd },
      });
      expect(cost.body.actual).toMatchObject({ state: 'never', days: [] });
    });

    it('retries a throttled price lookup, answers 503 when throttling persists, and refuses non-owners and local targets without a pricing target (loopback AWS endpoint)', async () => {
      seedContainerPrices(aws.pricing);
      const { estimate } = await setup();

      aws.throttle.GetProducts = 2;
      expect((await estimate({})).status).toBe(200);
      expect(aws.callCount.GetProducts).toBe(15);

      const denied = expectConforms(
        'POST',
        '/cost/estimates',
        await estimate({}, eveHeader),
      );
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain(
        'stackyard.environment.deploy',
      );

      const local = expectConforms(
        'POST',
        '/cost/estimates',
        await estimate({ target: 'local' }),
      );
      expect(local.status).toBe(409);
      expect(local.body.error.message).toContain(
        'stackyard.cost.pricingTarget',
      );
    });

    it('answers 503 with a clear message when the Price List keeps throttling (loopback AWS endpoint)', async () => {
      seedContainerPrices(aws.pricing);
      const { estimate } = await setup();
      aws.throttle.GetProducts = 1000;
      const res = expectConforms('POST', '/cost/estimates', await estimate({}));
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain(
        'The AWS Price List API kept throttling (ThrottlingException) after retries',
      );
    });

    it('prices local stages with the pricing target, and reports what the Price List has no price for (loopback AWS endpoint)', async () => {
      const { estimate } = await setup({
        pricingTarget: {
          name: 'sandbox',
          type: 'aws',
          accountId: aws.account,
          region: aws.region,
          endpoint: aws.url,
        },
      });
      // An empty Price List: everything is unpriced, nothing fails.
      const res = expectConforms(
        'POST',
        '/cost/estimates',
        await estimate({ target: 'local' }),
      );
      expect(res.status).toBe(200);
      expect(res.body.target).toBe('local');
      expect(res.body.estimate.monthlyUsd).toBe(0);
      expect(res.body.estimate.unpriced).toContainEqual({
        logicalId: 'Nat',
        resourceType: 'AWS::EC2::NatGateway',
        reason: 'no price in the Price List for NAT gateway in eu-west-1',
      });
    });

    it('refreshes actual costs with one Cost Explorer call per account: daily series per environment and totals per cost center (loopback AWS endpoint)', async () => {
      const { app, register, cost } = await setup();
      const dev = await register('orders', 'dev', 'sandbox', 'CC-42');
      const prod = await register('orders', 'prod', 'sandbox', 'CC-42');
      const other = await register('billing', 'dev', 'sandbox');
      const tags = (prefix: string, stage: string) => ({
        'stackyard:prefix': prefix,
        'stackyard:stage': stage,
      });
      aws.costExplorer.records.push(
        { date: days[0], tags: tags('orders', 'dev'), usd: 1.25 },
        { date: days[29], tags: tags('orders', 'dev'), usd: 2 },
        { date: days[29], tags: tags('orders', 'prod'), usd: 10 },
        // untagged spend and days outside the window are not attributed
        { date: days[29], tags: {}, usd: 99 },
        { date: '2026-11-30', tags: tags('orders', 'dev'), usd: 50 },
      );

      const stats = await cost.refresher.refreshOnce();
      expect(stats).toEqual({ accounts: 1, calls: 1, failed: 0, stacks: 2 });
      expect(aws.costExplorer.requests[0]).toMatchObject({
        TimePeriod: { Start: days[0], End: '2026-11-30' },
        Granularity: 'DAILY',
        GroupBy: [
          { Type: 'TAG', Key: 'stackyard:prefix' },
          { Type: 'TAG', Key: 'stackyard:stage' },
        ],
      });

      const devCost = expectConforms(
        'GET',
        '/environments/{id}/cost',
        await request(app)
          .get(`/environments/${dev}/cost`)
          .set('Authorization', adaHeader),
      ).body.actual;
      expect(devCost.state).toBe('ok');
      expect(devCost.refreshedAt).toBe(now.toISOString());
      expect(devCost.days).toHaveLength(30);
      expect(devCost.days[0]).toEqual({ date: days[0], usd: 1.25 });
      expect(devCost.days[29]).toEqual({ date: days[29], usd: 2 });
      expect(devCost.totalUsd).toBe(3.25);

      // No cost recorded: an empty result is zeros, not an error.
      const otherCost = (
        await request(app)
          .get(`/environments/${other}/cost`)
          .set('Authorization', adaHeader)
      ).body.actual;
      expect(otherCost.totalUsd).toBe(0);
      expect(otherCost.days.every((d: { usd: number }) => d.usd === 0)).toBe(
        true,
      );

      const centers = expectConforms(
        'GET',
        '/cost/centers',
        await request(app).get('/cost/centers').set('Authorization', adaHeader),
      ).body;
      expect(centers).toEqual({
        items: [
          { costCenter: 'CC-42', totalUsd: 13.25, environments: 2 },
          { costCenter: '(none)', totalUsd: 0, environments: 1 },
        ],
        days: 30,
        refreshedAt: now.toISOString(),
        stale: [],
      });
      expect(prod).toBeDefined();
    });

    it('reads Cost Explorer page by page: 1,000 environments in one account cost calls per page, not per environment (loopback AWS endpoint)', async () => {
      const { cost } = await setup();
      for (let i = 0; i < 1000; i++) {
        aws.costExplorer.records.push({
          date: days[i % 30],
          tags: { 'stackyard:prefix': `svc${i}`, 'stackyard:stage': 'dev' },
          usd: 1,
        });
      }
      aws.costExplorer.pageSize = 400;
      const stats = await cost.refresher.refreshOnce();
      expect(stats).toMatchObject({ accounts: 1, stacks: 1000 });
      // 1,000 (day, stack) results at 400 per page
      expect(stats.calls).toBe(3);
      expect(aws.callsOf('ce')).toEqual([
        'GetCostAndUsage',
        'GetCostAndUsage',
        'GetCostAndUsage',
      ]);
    });

    it('retries a throttled refresh, and keeps the previous figures with a clear state when throttling persists (loopback AWS endpoint)', async () => {
      const { app, register, cost } = await setup();
      const id = await register('orders', 'dev');
      aws.costExplorer.records.push({
        date: days[10],
        tags: { 'stackyard:prefix': 'orders', 'stackyard:stage': 'dev' },
        usd: 4.5,
      });
      aws.throttle.GetCostAndUsage = 2;
      expect(await cost.refresher.refreshOnce()).toMatchObject({
        calls: 1,
        failed: 0,
      });
      expect(aws.callCount.GetCostAndUsage).toBe(3);

      aws.throttle.GetCostAndUsage = 1000;
      expect(await cost.refresher.refreshOnce()).toMatchObject({ failed: 1 });
      const actual = (
        await request(app)
          .get(`/environments/${id}/cost`)
          .set('Authorization', adaHeader)
      ).body.actual;
      expect(actual.state).toBe('throttled');
      expect(actual.message).toContain(
        'Cost Explorer kept throttling the refresh (ThrottlingException) after retries',
      );
      expect(actual.totalUsd).toBe(4.5);
      const centers = (
        await request(app).get('/cost/centers').set('Authorization', adaHeader)
      ).body;
      expect(centers.stale).toEqual([aws.account]);
    });
  },
);
