import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { ServiceNetwork } from './ServiceNetwork';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** The PostgreSQL port. */
export const POSTGRES_PORT = 5432;
/** The fewest days of automated backups a production database keeps. */
export const MIN_PRODUCTION_BACKUP_DAYS = 7;

const INSTANCE_CLASS = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Properties of a {@link SafeDatabase}. */
export interface SafeDatabaseProps {
  /** The network the instance lives in (its isolated subnets). */
  readonly network: ServiceNetwork;
  /** The database created in the instance, e.g. `orchestrator`. */
  readonly databaseName: string;
  /**
   * The instance class without `db.`, e.g. `t3.small`.
   *
   * @default - the stage's (`t3.micro` in dev, `t3.small` in prod)
   */
  readonly instanceType?: string;
  /**
   * Allocated storage in GiB, 20 to 65536.
   *
   * @default - the stage's (20 in dev, 50 in prod)
   */
  readonly allocatedStorageGiB?: number;
  /**
   * A standby in a second availability zone. Production requires it.
   *
   * @default - the stage's (false in dev, true in prod)
   */
  readonly multiAz?: boolean;
  /**
   * Days of automated backups, 0 to 35; at least 7 in production.
   *
   * @default - the stage's (1 in dev, 7 in prod)
   */
  readonly backupRetentionDays?: number;
}

/**
 * An RDS PostgreSQL 15 instance in the network's isolated subnets: storage
 * encrypted, credentials generated into Secrets Manager, not publicly
 * accessible, its own security group (ingress only from what connects to
 * it). Production
 * instances are Multi-AZ, keep backups at least 7 days, refuse deletion
 * (deletion protection) and leave a final snapshot when removed from the
 * stack; other stages leave a snapshot too, except ephemeral ones.
 */
export class SafeDatabase extends Construct {
  /** The instance. */
  readonly instance: rds.DatabaseInstance;
  /** The secret holding `username`, `password`, `host`, `port` and `dbname`. */
  readonly secret: rds.DatabaseSecret;
  /** The instance's security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The database's name. */
  readonly databaseName: string;
  /** The instance class, e.g. `t3.micro`. */
  readonly instanceType: string;
  /** Allocated storage in GiB. */
  readonly allocatedStorageGiB: number;

  constructor(scope: Construct, id: string, props: SafeDatabaseProps) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const defaults = stage.databaseDefaults;
    const instanceType = props.instanceType ?? defaults.instanceType;
    const storage = props.allocatedStorageGiB ?? defaults.allocatedStorageGiB;
    const multiAz = props.multiAz ?? defaults.multiAz;
    const backupDays = props.backupRetentionDays ?? defaults.backupRetentionDays;
    validateProps(this, 'SafeDatabase', [
      {
        prop: 'databaseName',
        value: props.databaseName,
        ok: DATABASE_NAME.test(props.databaseName),
        allowed: 'a letter followed by at most 62 letters, digits or underscores',
      },
      {
        prop: 'instanceType',
        value: instanceType,
        ok: INSTANCE_CLASS.test(instanceType),
        allowed: 'an instance class without "db.", e.g. "t3.micro"',
      },
      {
        prop: 'allocatedStorageGiB',
        value: storage,
        ok: isIntegerBetween(storage, 20, 65536),
        allowed: 'an integer from 20 to 65536',
      },
      {
        prop: 'multiAz',
        value: multiAz,
        ok: multiAz || !stage.production,
        allowed: `stage "${stage.name}" is production, so the database needs a standby (true)`,
      },
      {
        prop: 'backupRetentionDays',
        value: backupDays,
        ok:
          isIntegerBetween(backupDays, 0, 35) &&
          (!stage.production || backupDays >= MIN_PRODUCTION_BACKUP_DAYS),
        allowed: stage.production
          ? `stage "${stage.name}" is production: an integer from ${MIN_PRODUCTION_BACKUP_DAYS} to 35`
          : 'an integer from 0 to 35',
      },
    ]);
    this.databaseName = props.databaseName;
    this.instanceType = instanceType;
    this.allocatedStorageGiB = storage;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `PostgreSQL ${this.node.path}: ingress only from what connects to it`,
      allowAllOutbound: false,
    });
    this.secret = new rds.DatabaseSecret(this, 'Secret', { username: 'postgres' });
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_15 }),
      instanceType: new ec2.InstanceType(instanceType),
      vpc: props.network.vpc,
      vpcSubnets: props.network.dataSubnets,
      securityGroups: [this.securityGroup],
      port: POSTGRES_PORT,
      credentials: rds.Credentials.fromSecret(this.secret),
      databaseName: props.databaseName,
      allocatedStorage: storage,
      storageEncrypted: true,
      multiAz,
      publiclyAccessible: false,
      backupRetention: Duration.days(backupDays),
      deletionProtection: stage.production,
      removalPolicy: stage.ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
      deleteAutomatedBackups: stage.ephemeral,
      autoMinorVersionUpgrade: true,
    });
  }

  /** The instance's connections, for security group rules. */
  get connections(): ec2.Connections {
    return this.instance.connections;
  }
}
