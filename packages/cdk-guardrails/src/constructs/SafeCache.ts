import { CfnDeletionPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { ServiceNetwork } from './ServiceNetwork';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** The Redis port. */
export const REDIS_PORT = 6379;
/** The Redis engine version. */
export const REDIS_ENGINE_VERSION = '7.1';

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
// ElastiCache ignores `appendonly` on these node types.
const NO_AOF_NODE_TYPE = /^cache\.(t1|t2)\./;

/** Properties of a {@link SafeCache}. */
export interface SafeCacheProps {
  /** The network the cache lives in (its isolated subnets). */
  readonly network: ServiceNetwork;
  /**
   * The node type, e.g. `cache.t3.small`; not `cache.t1.*` or `cache.t2.*`,
   * on which ElastiCache ignores AOF.
   *
   * @default - the stage's (`cache.t3.micro` in dev, `cache.t3.small` in prod)
   */
  readonly nodeType?: string;
  /**
   * Days daily snapshots are kept, 0 to 35.
   *
   * @default - the stage's (1 in dev, 7 in prod, 0 in preview)
   */
  readonly snapshotRetentionDays?: number;
}

/**
 * ElastiCache Redis 7 with the append-only file on (`appendonly yes`,
 * `appendfsync everysec` through its own parameter group), encrypted in
 * transit (TLS required) and at rest, in the network's isolated subnets
 * with its own security group.
 *
 * It is a one-node replication group (cluster mode disabled, no automatic
 * failover): encryption at rest needs a replication group, and ElastiCache
 * turns AOF off in Multi-AZ replication groups, so a second node would
 * lose the persistence this construct promises. Production keeps a final
 * snapshot when the cache is removed.
 */
export class SafeCache extends Construct {
  /** The replication group. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The parameter group turning AOF on. */
  readonly parameterGroup: elasticache.CfnParameterGroup;
  /** The cache's security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The node type. */
  readonly nodeType: string;
  /** Connections to the cache, for security group rules. */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: SafeCacheProps) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const nodeType = props.nodeType ?? stage.cacheDefaults.nodeType;
    const snapshotDays = props.snapshotRetentionDays ?? stage.cacheDefaults.snapshotRetentionDays;
    validateProps(this, 'SafeCache', [
      {
        prop: 'nodeType',
        value: nodeType,
        ok: NODE_TYPE.test(nodeType) && !NO_AOF_NODE_TYPE.test(nodeType),
        allowed: 'a node type like "cache.t3.micro"; not cache.t1 or cache.t2, on which ElastiCache ignores AOF',
      },
      {
        prop: 'snapshotRetentionDays',
        value: snapshotDays,
        ok: isIntegerBetween(snapshotDays, 0, 35),
        allowed: 'an integer from 0 to 35',
      },
    ]);
    this.nodeType = nodeType;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `Redis ${this.node.path}: ingress only from what connects to it`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      defaultPort: ec2.Port.tcp(REDIS_PORT),
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: `Isolated subnets of ${this.node.path}`,
      subnetIds: props.network.vpc.selectSubnets(props.network.dataSubnets).subnetIds,
    });
    this.parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: 'redis7',
      description: `Redis 7 with AOF for ${this.node.path}`,
      properties: { appendonly: 'yes', appendfsync: 'everysec' },
    });
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: `Redis ${this.node.path}`,
      engine: 'redis',
      engineVersion: REDIS_ENGINE_VERSION,
      cacheNodeType: nodeType,
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      cacheParameterGroupName: this.parameterGroup.ref,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: REDIS_PORT,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      snapshotRetentionLimit: snapshotDays,
      autoMinorVersionUpgrade: true,
    });
    if (stage.production) {
      this.replicationGroup.cfnOptions.deletionPolicy = CfnDeletionPolicy.SNAPSHOT;
      this.replicationGroup.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    }
  }

  /** The primary endpoint's address. */
  get host(): string {
    return this.replicationGroup.attrPrimaryEndPointAddress;
  }
}
