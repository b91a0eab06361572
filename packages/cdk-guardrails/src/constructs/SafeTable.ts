import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { stageConfigOf } from './stageOf';
import { validateProps } from './validation';

/** Properties of a {@link SafeTable}. */
export interface SafeTableProps {
  /** The partition key. */
  readonly partitionKey: dynamodb.Attribute;
  /**
   * The sort key.
   *
   * @default - none
   */
  readonly sortKey?: dynamodb.Attribute;
  /**
   * The attribute holding each item's expiry time.
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;
  /**
   * The change stream.
   *
   * @default - no stream
   */
  readonly stream?: dynamodb.StreamViewType;
  /**
   * What happens to the table when it leaves the stack. Only an ephemeral
   * stage may choose DESTROY; production always retains.
   *
   * @default - RETAIN, or DESTROY in ephemeral stages
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table (on-demand) with point-in-time recovery on, deletion
 * protection on, and RETAIN removal — except in ephemeral preview stages,
 * whose config explicitly allows DESTROY.
 */
export class SafeTable extends Construct {
  /** The table. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: SafeTableProps) {
    super(scope, id);
    const stage = stageConfigOf(this);
    const removalPolicy =
      props.removalPolicy ??
      (stage.ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    validateProps(this, 'SafeTable', [
      {
        prop: 'removalPolicy',
        value: removalPolicy,
        ok: removalPolicy === RemovalPolicy.RETAIN || stage.ephemeral,
        allowed: `stage "${stage.name}" is not ephemeral, so tables must be retained (RETAIN)`,
      },
    ]);
    const ephemeral = removalPolicy === RemovalPolicy.DESTROY;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !ephemeral,
      removalPolicy,
      timeToLiveAttribute: props.timeToLiveAttribute,
      stream: props.stream,
    });
  }
}
