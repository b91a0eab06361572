import { containerServiceTemplate } from './__fixtures__/containerServiceTemplate';
import { estimateFixedCost, formatEstimate } from './estimateFixedCost';
import { fixedCostUsage } from './fixedCostUsage';
import type { PriceQuery } from './fixedCostUsage';
import {
  GetProductsPage,
  MAX_PRICE_LIST_PAGES,
  findUnitPrice,
  pickUnitPrice,
  priceQueryKey,
} from './priceList';

/** us-east-1 on-demand prices by usage type end (or instance type). */
const PRICES: Record<string, number> = {
  'NatGateway-Hours': 0.045,
  'PublicIPv4:InUseAddress': 0.005,
  LoadBalancerUsage: 0.0225,
  'Fargate-vCPU-Hours:perCPU': 0.04048,
  'Fargate-GB-Hours': 0.004445,
  'Fargate-ARM-vCPU-Hours:perCPU': 0.03238,
  'Fargate-ARM-GB-Hours': 0.00356,
  'db.t4g.micro': 0.032,
  'General Purpose-GP3': 0.23,
  'cache.t4g.micro': 0.016,
  'ReadCapacityUnit-Hrs': 0.00013,
  'WriteCapacityUnit-Hrs': 0.00065,
  'Lambda-Provisioned-Concurrency-ARM': 0.0000033334,
};

function tablePrices(asked: PriceQuery[] = []) {
  return async (query: PriceQuery) => {
    asked.push(query);
    const key =
      query.usageTypeSuffix ??
      query.filters.volumeType ??
      query.filters.instanceType;
    const usd = PRICES[key];
    return usd === undefined ? undefined : { usd, unit: 'Hrs' };
  };
}

describe('estimateFixedCost', () => {
  it('prices every fixed-cost resource of a container service, grouped by line', async () => {
    const asked: PriceQuery[] = [];
    const estimate = await estimateFixedCost(containerServiceTemplate, {
      region: 'us-east-1',
      prices: tablePrices(asked),
    });
    const line = (label: string) =>
      estimate.lineItems.find(l => l.label === label);
    expect(line('NAT gateway')).toEqual({
      label: 'NAT gateway',
      count: 1,
      unitMonthlyUsd: 32.85,
      monthlyUsd: 32.85,
      logicalIds: ['Nat'],
    });
    expect(line('Application load balancer')?.monthlyUsd).toBe(16.43);
    // 2 tasks × 0.5 vCPU; 1 ARM task × 1 vCPU
    expect(line('Fargate vCPU')).toMatchObject({ count: 1, monthlyUsd: 29.55 });
    expect(line('Fargate memory (GB)')).toMatchObject({ count: 2 });
    expect(line('Fargate-ARM vCPU')).toMatchObject({ count: 1 });
    expect(line('RDS db.t4g.micro PostgreSQL Multi-AZ')?.monthlyUsd).toBe(
      23.36,
    );
    expect(line('RDS storage gp3 Multi-AZ (GB)')).toMatchObject({
      count: 20,
      monthlyUsd: 4.6,
    });
    expect(line('ElastiCache cache.t4g.micro Redis node')).toMatchObject({
      count: 2,
      unitMonthlyUsd: 11.68,
    });
    expect(line('DynamoDB read capacity units')?.count).toBe(5);
    // 2 × 0.5 GB × 730 h × 3600 s × price per GB-second
    expect(
      line('Lambda provisioned concurrency (arm64) (GB)')?.monthlyUsd,
    ).toBe(8.76);
    expect(estimate.unpriced).toEqual([]);
    const sum = estimate.lineItems.reduce((s, l) => s + l.monthlyUsd, 0);
    expect(Math.abs(estimate.monthlyUsd - sum)).toBeLessThan(0.05);
    expect(estimate.summary).toMatch(
      /^Estimated fixed cost: \$\d+\.\d\d\/month in us-east-1 \(.*NAT gateway 1 × \$32\.85/,
    );
    // Each distinct price is asked once.
    const keys = asked.map(priceQueryKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(asked.find(q => q.filters.instanceType === 'db.t4g.micro')).toEqual({
      serviceCode: 'AmazonRDS',
      filters: {
        regionCode: 'us-east-1',
        productFamily: 'Database Instance',
        instanceType: 'db.t4g.micro',
        databaseEngine: 'PostgreSQL',
        deploymentOption: 'Multi-AZ',
      },
    });
  });

  it('leaves resources unpriced, with the reason, when a property is not a literal or the Price List has no price', async () => {
    const estimate = await estimateFixedCost(
      {
        Resources: {
          Db: {
            Type: 'AWS::RDS::DBInstance',
            Properties: {
              Engine: 'postgres',
              DBInstanceClass: { Ref: 'InstanceClass' },
            },
          },
          Oracle: {
            Type: 'AWS::RDS::DBInstance',
            Properties: { Engine: 'oracle-ee', DBInstanceClass: 'db.m5.large' },
          },
          Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} },
        },
      },
      { region: 'eu-west-1', prices: async () => undefined },
    );
    expect(estimate.monthlyUsd).toBe(0);
    expect(estimate.unpriced).toEqual([
      {
        logicalId: 'Db',
        resourceType: 'AWS::RDS::DBInstance',
        reason: 'DBInstanceClass is not a literal ({"Ref":"InstanceClass"})',
      },
      {
        logicalId: 'Oracle',
        resourceType: 'AWS::RDS::DBInstance',
        reason: 'engine "oracle-ee" is not priced (licence-dependent)',
      },
      {
        logicalId: 'Nat',
        resourceType: 'AWS::EC2::NatGateway',
        reason: 'no price in the Price List for NAT gateway in eu-west-1',
      },
    ]);
    expect(estimate.summary).toContain('not priced: Db (DBInstanceClass');
  });

  it('has nothing to price in a serverless template (on-demand table, queue, function)', async () => {
    const estimate = await estimateFixedCost(
      {
        Resources: {
          T: {
            Type: 'AWS::DynamoDB::Table',
            Properties: { BillingMode: 'PAY_PER_REQUEST' },
          },
          Q: { Type: 'AWS::SQS::Queue' },
          F: { Type: 'AWS::Lambda::Function', Properties: {} },
          S: {
            Type: 'AWS::ECS::Service',
            Properties: { LaunchType: 'EC2', DesiredCount: 3 },
          },
        },
      },
      { region: 'us-east-1', prices: tablePrices() },
    );
    expect(estimate.lineItems).toEqual([]);
    expect(formatEstimate(estimate)).toBe(
      'Estimated fixed cost: $0.00/month in us-east-1 (no fixed-cost resources)',
    );
  });

  it('counts nodes of sharded replication groups and cache clusters', () => {
    const { usages } = fixedCostUsage(
      {
        Resources: {
          Sharded: {
            Type: 'AWS::ElastiCache::ReplicationGroup',
            Properties: {
              CacheNodeType: 'cache.r7g.large',
              Engine: 'valkey',
              NumNodeGroups: 3,
              ReplicasPerNodeGroup: 2,
            },
          },
          Memcached: {
            Type: 'AWS::ElastiCache::CacheCluster',
            Properties: {
              CacheNodeType: 'cache.t4g.small',
              Engine: 'memcached',
              NumCacheNodes: 2,
            },
          },
        },
      },
      'eu-west-1',
    );
    expect(usages.map(u => [u.label, u.count])).toEqual([
      ['ElastiCache cache.r7g.large Valkey node', 9],
      ['ElastiCache cache.t4g.small Memcached node', 2],
    ]);
  });
});

describe('pickUnitPrice', () => {
  const product = (usagetype: string, dims: [string, string][]) =>
    JSON.stringify({
      product: { attributes: { usagetype } },
      terms: {
        OnDemand: {
          'SKU.TERM': {
            priceDimensions: Object.fromEntries(
              dims.map(([begin, usd], i) => [
                `d${i}`,
                { unit: 'Hrs', beginRange: begin, pricePerUnit: { USD: usd } },
              ]),
            ),
          },
        },
      },
    });

  it('matches the usage type with or without a region prefix and skips free tiers', () => {
    const query = {
      serviceCode: 'AmazonECS',
      filters: {},
      usageTypeSuffix: 'Fargate-vCPU-Hours:perCPU',
    };
    expect(
      pickUnitPrice(
        [
          product('EUW1-Fargate-ARM-vCPU-Hours:perCPU', [['0', '0.03']]),
          product('EUW1-Fargate-vCPU-Hours:perCPU', [
            ['0', '0.0000000000'],
            ['25', '0.04'],
          ]),
        ],
        query,
      ),
    ).toEqual({ usd: 0.04, unit: 'Hrs' });
    expect(
      pickUnitPrice(
        [product('Fargate-vCPU-Hours:perCPU', [['0', '0.05']])],
        query,
      ),
    ).toEqual({ usd: 0.05, unit: 'Hrs' });
    expect(pickUnitPrice([], query)).toBeUndefined();
  });

  it('asks GetProducts page after page with the query as TERM_MATCH filters until a product matches', async () => {
    const query = {
      serviceCode: 'AmazonEC2',
      filters: { regionCode: 'eu-west-1', productFamily: 'NAT Gateway' },
      usageTypeSuffix: 'NatGateway-Hours',
    };
    const asked: GetProductsPage[] = [];
    const price = await findUnitPrice(async page => {
      asked.push(page);
      return page.NextToken === undefined
        ? {
            PriceList: [product('EUW1-NatGateway-Bytes', [['0', '0.048']])],
            NextToken: 'page-2',
          }
        : { PriceList: [product('EUW1-NatGateway-Hours', [['0', '0.048']])] };
    }, query);
    expect(price).toEqual({ usd: 0.048, unit: 'Hrs' });
    expect(asked).toEqual([
      {
        ServiceCode: 'AmazonEC2',
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        NextToken: undefined,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
          { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'NAT Gateway' },
        ],
      },
      expect.objectContaining({ NextToken: 'page-2' }),
    ]);
  });

  it('gives up after the last page or the page limit', async () => {
    const query = { serviceCode: 'AmazonVPC', filters: {} };
    let pages = 0;
    await expect(
      findUnitPrice(async () => {
        pages++;
        return { PriceList: [], NextToken: 'more' };
      }, query),
    ).resolves.toBeUndefined();
    expect(pages).toBe(MAX_PRICE_LIST_PAGES);
    await expect(
      findUnitPrice(async () => ({ PriceList: [] }), query),
    ).resolves.toBeUndefined();
  });
});
