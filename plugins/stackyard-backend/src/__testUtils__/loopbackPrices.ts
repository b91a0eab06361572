import type { LoopbackPricing } from '@stackyard/test-support/aws';

/**
 * Seeds the loopback Price List with the on-demand prices a container
 * service's estimate asks for in `region` (eu-west-1 figures), under the
 * attributes the real Price List uses, usage types with a region prefix.
 */
export function seedContainerPrices(
  pricing: LoopbackPricing,
  region = 'eu-west-1',
  prefix = 'EUW1',
) {
  const at = (attributes: Record<string, string>) => ({
    regionCode: region,
    ...attributes,
  });
  pricing.add(
    {
      serviceCode: 'AmazonEC2',
      attributes: at({
        productFamily: 'NAT Gateway',
        usagetype: `${prefix}-NatGateway-Hours`,
      }),
      usd: 0.048,
    },
    // A product the filters also match, which the usage type rules out.
    {
      serviceCode: 'AmazonEC2',
      attributes: at({
        productFamily: 'NAT Gateway',
        usagetype: `${prefix}-NatGateway-Bytes`,
      }),
      usd: 0.048,
      unit: 'GB',
    },
    {
      serviceCode: 'AmazonVPC',
      attributes: at({ usagetype: `${prefix}-PublicIPv4:InUseAddress` }),
      usd: 0.005,
    },
    {
      serviceCode: 'AWSELB',
      attributes: at({
        productFamily: 'Load Balancer-Application',
        usagetype: `${prefix}-LoadBalancerUsage`,
      }),
      usd: 0.0252,
    },
    {
      serviceCode: 'AmazonECS',
      attributes: at({ usagetype: `${prefix}-Fargate-vCPU-Hours:perCPU` }),
      usd: 0.04048,
      unit: 'hours',
    },
    {
      serviceCode: 'AmazonECS',
      attributes: at({ usagetype: `${prefix}-Fargate-GB-Hours` }),
      usd: 0.004445,
      unit: 'hours',
    },
    {
      serviceCode: 'AmazonECS',
      attributes: at({ usagetype: `${prefix}-Fargate-ARM-vCPU-Hours:perCPU` }),
      usd: 0.03238,
      unit: 'hours',
    },
    {
      serviceCode: 'AmazonECS',
      attributes: at({ usagetype: `${prefix}-Fargate-ARM-GB-Hours` }),
      usd: 0.00356,
      unit: 'hours',
    },
    {
      serviceCode: 'AmazonRDS',
      attributes: at({
        productFamily: 'Database Instance',
        instanceType: 'db.t4g.micro',
        databaseEngine: 'PostgreSQL',
        deploymentOption: 'Multi-AZ',
        usagetype: `${prefix}-Multi-AZUsage:db.t4g.micro`,
      }),
      usd: 0.036,
    },
    {
      serviceCode: 'AmazonRDS',
      attributes: at({
        productFamily: 'Database Storage',
        volumeType: 'General Purpose-GP3',
        databaseEngine: 'PostgreSQL',
        deploymentOption: 'Multi-AZ',
        usagetype: `${prefix}-RDS:Multi-AZ-GP3-Storage`,
      }),
      usd: 0.254,
      unit: 'GB-Mo',
    },
    {
      serviceCode: 'AmazonElastiCache',
      attributes: at({
        productFamily: 'Cache Instance',
        instanceType: 'cache.t4g.micro',
        cacheEngine: 'Redis',
        usagetype: `${prefix}-NodeUsage:cache.t4g.micro`,
      }),
      usd: 0.0176,
    },
    {
      serviceCode: 'AmazonDynamoDB',
      attributes: at({ usagetype: `${prefix}-ReadCapacityUnit-Hrs` }),
      usd: 0.0001472,
    },
    {
      serviceCode: 'AmazonDynamoDB',
      attributes: at({ usagetype: `${prefix}-WriteCapacityUnit-Hrs` }),
      usd: 0.000736,
    },
    {
      serviceCode: 'AWSLambda',
      attributes: at({
        usagetype: `${prefix}-Lambda-Provisioned-Concurrency-ARM`,
      }),
      usd: 0.0000033334,
      unit: 'Lambda-GB-Second',
    },
  );
}
