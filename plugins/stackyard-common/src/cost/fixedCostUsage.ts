import type { UnpricedResource } from '../api/cost';

/** Hours in the month AWS prices by. */
export const HOURS_PER_MONTH = 730;

/**
 * What one Price List product is found by: a service code, `TERM_MATCH`
 * filters, and the end of its usage type (whose region prefix, e.g.
 * `EUW1-`, varies and is absent in us-east-1).
 */
export interface PriceQuery {
  readonly serviceCode: string;
  readonly filters: Readonly<Record<string, string>>;
  readonly usageTypeSuffix?: string;
}

/** One fixed-cost usage of a template resource, to be priced. */
export interface FixedCostUsage {
  readonly logicalId: string;
  readonly resourceType: string;
  /** Groups usages into one line, e.g. `NAT gateway`, `Fargate vCPU`. */
  readonly label: string;
  /** How many of the label's unit (gateways, vCPUs, GB, capacity units). */
  readonly count: number;
  /** The monthly quantity in the price's unit, e.g. hours × count. */
  readonly monthlyQuantity: number;
  readonly price: PriceQuery;
}

/** What a template's resources cost by the hour, before prices are known. */
export interface TemplateUsage {
  readonly usages: FixedCostUsage[];
  readonly unpriced: UnpricedResource[];
}

type Resource = { Type?: string; Properties?: Record<string, unknown> };
type Resources = Record<string, Resource>;
type Ctx = { region: string; resources: Resources };
type Usage = Omit<FixedCostUsage, 'logicalId' | 'resourceType'>;
/** An estimator of one resource type: its usages, or why it is unpriced. */
type ResourcePricer = (
  props: Record<string, unknown>,
  ctx: Ctx,
) => Usage[] | string;

class NotLiteral extends Error {}

/** A literal value of a property; intrinsics (Ref, Fn::If…) cannot be priced. */
function literal<T extends string | number | boolean>(
  value: unknown,
  name: string,
  fallback?: T,
): T {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new NotLiteral(`${name} is not set`);
  }
  if (typeof value === 'object') {
    throw new NotLiteral(`${name} is not a literal (${JSON.stringify(value)})`);
  }
  return value as T;
}

const num = (value: unknown, name: string, fallback?: number) =>
  Number(literal<number>(value, name, fallback));

const hourly = (
  label: string,
  count: number,
  price: PriceQuery,
  hoursPerUnit = HOURS_PER_MONTH,
): Usage => ({ label, count, monthlyQuantity: count * hoursPerUnit, price });

const RDS_ENGINES: Record<string, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  'aurora-postgresql': 'Aurora PostgreSQL',
  'aurora-mysql': 'Aurora MySQL',
};

const RDS_VOLUMES: Record<string, string> = {
  gp2: 'General Purpose',
  gp3: 'General Purpose-GP3',
  io1: 'Provisioned IOPS',
  io2: 'Provisioned IOPS-IO2',
  standard: 'Magnetic',
};

const CACHE_ENGINES: Record<string, string> = {
  redis: 'Redis',
  valkey: 'Valkey',
  memcached: 'Memcached',
};

function refTarget(value: unknown, ctx: Ctx): Resource | undefined {
  if (typeof value === 'object' && value && 'Ref' in value) {
    return ctx.resources[String((value as { Ref: unknown }).Ref)];
  }
  return undefined;
}

const PRICERS: Record<string, ResourcePricer> = {
  // Public and private NAT gateways cost the same by the hour.
  'AWS::EC2::NatGateway': (_props, ctx) => [
    hourly('NAT gateway', 1, {
      serviceCode: 'AmazonEC2',
      filters: { regionCode: ctx.region, productFamily: 'NAT Gateway' },
      usageTypeSuffix: 'NatGateway-Hours',
    }),
  ],
  'AWS::EC2::EIP': (_props, ctx) => [
    hourly('Public IPv4 address', 1, {
      serviceCode: 'AmazonVPC',
      filters: { regionCode: ctx.region },
      usageTypeSuffix: 'PublicIPv4:InUseAddress',
    }),
  ],
  'AWS::EC2::VPCEndpoint': (props, ctx) => {
    const type = literal<string>(
      props.VpcEndpointType,
      'VpcEndpointType',
      'Gateway',
    );
    if (type === 'Gateway') return [];
    const subnets = Array.isArray(props.SubnetIds) ? props.SubnetIds.length : 1;
    return [
      hourly('Interface VPC endpoint (per AZ)', Math.max(1, subnets), {
        serviceCode: 'AmazonVPC',
        filters: { regionCode: ctx.region },
        usageTypeSuffix: 'VpcEndpoint-Hours',
      }),
    ];
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (props, ctx) => {
    const type = literal<string>(props.Type, 'Type', 'application');
    const family = {
      application: ['Application load balancer', 'Load Balancer-Application'],
      network: ['Network load balancer', 'Load Balancer-Network'],
    }[type];
    if (!family) return `load balancer type "${type}" is not priced`;
    return [
      hourly(family[0], 1, {
        serviceCode: 'AWSELB',
        filters: { regionCode: ctx.region, productFamily: family[1] },
        usageTypeSuffix: 'LoadBalancerUsage',
      }),
    ];
  },
  'AWS::RDS::DBInstance': (props, ctx) => {
    const engineName = literal<string>(props.Engine, 'Engine');
    const engine = RDS_ENGINES[engineName.toLowerCase()];
    if (!engine)
      return `engine "${engineName}" is not priced (licence-dependent)`;
    const instanceClass = literal<string>(
      props.DBInstanceClass,
      'DBInstanceClass',
    );
    const multiAz = literal<boolean>(props.MultiAZ, 'MultiAZ', false);
    const deploymentOption =
      String(multiAz) === 'true' ? 'Multi-AZ' : 'Single-AZ';
    const usages: Usage[] = [
      hourly(`RDS ${instanceClass} ${engine} ${deploymentOption}`, 1, {
        serviceCode: 'AmazonRDS',
        filters: {
          regionCode: ctx.region,
          productFamily: 'Database Instance',
          instanceType: instanceClass,
          databaseEngine: engine,
          deploymentOption,
        },
      }),
    ];
    // Aurora storage is usage-based; other engines pay for what is allocated.
    if (props.AllocatedStorage !== undefined && !engine.startsWith('Aurora')) {
      const gb = num(props.AllocatedStorage, 'AllocatedStorage');
      const storageType = literal<string>(
        props.StorageType,
        'StorageType',
        'gp2',
      );
      const volumeType = RDS_VOLUMES[storageType.toLowerCase()];
      if (!volumeType) return `storage type "${storageType}" is not priced`;
      usages.push({
        label: `RDS storage ${storageType} ${deploymentOption} (GB)`,
        count: gb,
        monthlyQuantity: gb,
        price: {
          serviceCode: 'AmazonRDS',
          filters: {
            regionCode: ctx.region,
            productFamily: 'Database Storage',
            volumeType,
            databaseEngine: engine,
            deploymentOption,
          },
        },
      });
    }
    return usages;
  },
  'AWS::ElastiCache::ReplicationGroup': (props, ctx) => {
    const nodeType = literal<string>(props.CacheNodeType, 'CacheNodeType');
    let nodes = 1;
    if (props.NumCacheClusters !== undefined) {
      nodes = num(props.NumCacheClusters, 'NumCacheClusters');
    } else if (props.NumNodeGroups !== undefined) {
      nodes =
        num(props.NumNodeGroups, 'NumNodeGroups') *
        (num(props.ReplicasPerNodeGroup, 'ReplicasPerNodeGroup', 1) + 1);
    }
    return [cacheNodes(nodeType, props.Engine, nodes, ctx)];
  },
  'AWS::ElastiCache::CacheCluster': (props, ctx) => [
    cacheNodes(
      literal<string>(props.CacheNodeType, 'CacheNodeType'),
      props.Engine,
      num(props.NumCacheNodes, 'NumCacheNodes', 1),
      ctx,
    ),
  ],
  'AWS::ECS::Service': (props, ctx) => {
    const strategy = Array.isArray(props.CapacityProviderStrategy)
      ? (props.CapacityProviderStrategy as { CapacityProvider?: unknown }[])
      : [];
    const fargate =
      props.LaunchType === 'FARGATE' ||
      strategy.some(s => String(s.CapacityProvider).startsWith('FARGATE'));
    if (!fargate) {
      // EC2-backed services run on instances priced as their own resources.
      return [];
    }
    const tasks = num(props.DesiredCount, 'DesiredCount', 1);
    const definition = refTarget(props.TaskDefinition, ctx)?.Properties;
    if (!definition)
      return 'TaskDefinition is not a Ref to a task definition of the template';
    const vcpu = num(definition.Cpu, "the task definition's Cpu") / 1024;
    const gb = num(definition.Memory, "the task definition's Memory") / 1024;
    const platform = definition.RuntimePlatform as
      | { CpuArchitecture?: unknown }
      | undefined;
    const arm = platform?.CpuArchitecture === 'ARM64';
    const kind = arm ? 'Fargate-ARM' : 'Fargate';
    return [
      hourly(`${kind} vCPU`, tasks * vcpu, {
        serviceCode: 'AmazonECS',
        filters: { regionCode: ctx.region },
        usageTypeSuffix: `${kind}-vCPU-Hours:perCPU`,
      }),
      hourly(`${kind} memory (GB)`, tasks * gb, {
        serviceCode: 'AmazonECS',
        filters: { regionCode: ctx.region },
        usageTypeSuffix: `${kind}-GB-Hours`,
      }),
    ];
  },
  'AWS::DynamoDB::Table': (props, ctx) => {
    const mode = literal<string>(
      props.BillingMode,
      'BillingMode',
      props.ProvisionedThroughput ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    );
    if (mode !== 'PROVISIONED') return [];
    let read = 0;
    let write = 0;
    const add = (throughput: unknown, where: string) => {
      const t = (throughput ?? {}) as Record<string, unknown>;
      read += num(t.ReadCapacityUnits, `${where}ReadCapacityUnits`);
      write += num(t.WriteCapacityUnits, `${where}WriteCapacityUnits`);
    };
    add(props.ProvisionedThroughput, 'ProvisionedThroughput.');
    for (const index of (props.GlobalSecondaryIndexes ?? []) as Record<
      string,
      unknown
    >[]) {
      add(index.ProvisionedThroughput, `index ${String(index.IndexName)} `);
    }
    const dynamo = (suffix: string) => ({
      serviceCode: 'AmazonDynamoDB',
      filters: { regionCode: ctx.region },
      usageTypeSuffix: suffix,
    });
    return [
      hourly(
        'DynamoDB read capacity units',
        read,
        dynamo('ReadCapacityUnit-Hrs'),
      ),
      hourly(
        'DynamoDB write capacity units',
        write,
        dynamo('WriteCapacityUnit-Hrs'),
      ),
    ];
  },
  'AWS::Lambda::Version': provisionedConcurrency,
  'AWS::Lambda::Alias': provisionedConcurrency,
};

function cacheNodes(
  nodeType: string,
  engineValue: unknown,
  nodes: number,
  ctx: Ctx,
): Usage {
  const engineName = literal<string>(engineValue, 'Engine', 'redis');
  const engine = CACHE_ENGINES[engineName.toLowerCase()] ?? engineName;
  return hourly(`ElastiCache ${nodeType} ${engine} node`, nodes, {
    serviceCode: 'AmazonElastiCache',
    filters: {
      regionCode: ctx.region,
      productFamily: 'Cache Instance',
      instanceType: nodeType,
      cacheEngine: engine,
    },
  });
}

function provisionedConcurrency(props: Record<string, unknown>, ctx: Ctx) {
  const config = props.ProvisionedConcurrencyConfig as
    | { ProvisionedConcurrentExecutions?: unknown }
    | undefined;
  if (!config) return [];
  const executions = num(
    config.ProvisionedConcurrentExecutions,
    'ProvisionedConcurrentExecutions',
  );
  const fn = refTarget(props.FunctionName, ctx)?.Properties ?? {};
  const gb = num(fn.MemorySize, "the function's MemorySize", 128) / 1024;
  const arm =
    Array.isArray(fn.Architectures) && fn.Architectures[0] === 'arm64';
  return [
    {
      label: `Lambda provisioned concurrency${arm ? ' (arm64)' : ''} (GB)`,
      count: executions * gb,
      // Priced per GB-second.
      monthlyQuantity: executions * gb * HOURS_PER_MONTH * 3600,
      price: {
        serviceCode: 'AWSLambda',
        filters: { regionCode: ctx.region },
        usageTypeSuffix: `Lambda-Provisioned-Concurrency${arm ? '-ARM' : ''}`,
      },
    },
  ];
}

/** The resource types {@link fixedCostUsage} prices. */
export const PRICED_RESOURCE_TYPES: readonly string[] = Object.keys(PRICERS);

/**
 * The fixed-cost usages of a synthesized CloudFormation template in a
 * region: a pure function of the template, one pricer per resource type.
 * Properties that are not literals (intrinsics, parameters) leave their
 * resource unpriced, with the reason.
 */
export function fixedCostUsage(
  template: { Resources?: unknown },
  region: string,
): TemplateUsage {
  const resources = (template.Resources ?? {}) as Resources;
  const ctx: Ctx = { region, resources };
  const usages: FixedCostUsage[] = [];
  const unpriced: UnpricedResource[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const resourceType = String(resource?.Type ?? '');
    const pricer = PRICERS[resourceType];
    if (!pricer) continue;
    try {
      const result = pricer(resource.Properties ?? {}, ctx);
      if (typeof result === 'string') {
        unpriced.push({ logicalId, resourceType, reason: result });
        continue;
      }
      for (const usage of result) {
        if (usage.count > 0) usages.push({ ...usage, logicalId, resourceType });
      }
    } catch (error) {
      if (!(error instanceof NotLiteral)) throw error;
      unpriced.push({ logicalId, resourceType, reason: error.message });
    }
  }
  return { usages, unpriced };
}
