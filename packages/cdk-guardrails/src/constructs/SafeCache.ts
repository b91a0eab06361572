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
// T1 and T2 nodes of a replication group with cluster mode disabled support
// neither backup and restore (snapshots) nor Multi-AZ.
const NO_SNAPSHOT_NODE_TYPE = /^cache\.(t1|t2)\./;
/** Days of snapshots a production cache keeps at least. */
const MIN_PRODUCTION_SNAPSHOT_DAYS = 7;

/** Properties of a {@link SafeCache}. */
export interface SafeCacheProps {
  /** The network the cache lives in (its isolated subnets). */
  readonly network: ServiceNetwork;
  /**
   * The node type, e.g. `cache.t3.small`; not `cache.t1.*` or `cache.t2.*`,
   * which support neither snapshots nor Multi-AZ.
   *
   * @default - the stage's (`cache.t3.micro` in dev, `cache.t3.small` in prod)
   */
  readonly nodeType?: string;
  /**
   * Days daily snapshots are kept, 0 to 35: at least 7 in production, at
   * least 1 in every other stage but an ephemeral one.
   *
   * @default - the stage's (1 in dev, 7 in prod, 0 in preview)
   */
  readonly snapshotRetentionDays?: number;
  /**
   * A replica with automatic failover and Multi-AZ, in the network's data
   * subnets (two zones). Required in production.
   *
   * @default - true in production, else false
   */
  readonly multiAz?: boolean;
}

/**
 * ElastiCache Redis 7 (the default `redis7` parameters), encrypted in
 * transit (TLS required) and at rest, in the network's isolated subnets with
 * its own security group, as a replication group with cluster mode disabled
 * (encryption at rest needs a replication group).
 *
 * Durability is what ElastiCache supports: automatic daily snapshots kept
 * for the stage's days, and in production a replica with automatic
 * failover and Multi-AZ (ElastiCache places the two nodes in the subnet
 * group's two zones), plus a final snapshot when the cache is removed. Redis's append-only file is not used:
 * ElastiCache does not support `appendonly` on Redis 2.8.22 and later, turns
 * it off in Multi-AZ replication groups, and recommends replicas instead.
 * A write acknowledged just before a node fails can still be lost, so
 * the cache holds what the service can rebuild or retry.
 */
export class SafeCache extends Construct {
  /** The replication group. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The cache's security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The node type. */
  readonly nodeType: string;
  /** Nodes of the replication group: the primary, and a replica when Multi-AZ. */
  readonly nodes: number;
  /** Connections to the cache, for security group rules. */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: SafeCacheProps) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const nodeType = props.nodeType ?? stage.cacheDefaults.nodeType;
    const snapshotDays = props.snapshotRetentionDays ?? stage.cacheDefaults.snapshotRetentionDays;
    const multiAz = props.multiAz ?? stage.production;
    // Production keeps a week; an ephemeral stage may keep none; others a day.
    let minSnapshotDays = stage.ephemeral ? 0 : 1;
    if (stage.production) minSnapshotDays = MIN_PRODUCTION_SNAPSHOT_DAYS;
    validateProps(this, 'SafeCache', [
      {
        prop: 'nodeType',
        value: nodeType,
        ok: NODE_TYPE.test(nodeType) && !NO_SNAPSHOT_NODE_TYPE.test(nodeType),
        allowed: 'a node type like "cache.t3.micro"; not cache.t1 or cache.t2, which support neither snapshots nor Multi-AZ',
      },
      {
        prop: 'snapshotRetentionDays',
        value: snapshotDays,
        ok: isIntegerBetween(snapshotDays, minSnapshotDays, 35),
        allowed:
          minSnapshotDays > 0
            ? `stage "${stage.name}" keeps snapshots: an integer from ${minSnapshotDays} to 35`
            : 'an integer from 0 to 35',
      },
      {
        prop: 'multiAz',
        value: multiAz,
        ok: multiAz || !stage.production,
        allowed: `stage "${stage.name}" is production, so the cache needs a replica with automatic failover (true)`,
      },
    ]);
    this.nodeType = nodeType;
    this.nodes = multiAz ? 2 : 1;
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
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: `Redis ${this.node.path}`,
      engine: 'redis',
      engineVersion: REDIS_ENGINE_VERSION,
      cacheNodeType: nodeType,
      numCacheClusters: this.nodes,
      automaticFailoverEnabled: multiAz,
      multiAzEnabled: multiAz,
      // No PreferredCacheClusterAZs: setting it replaces an existing group
      // (and empties it), so ElastiCache places the nodes in the subnet
      // group's zones.
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
