import { Duration } from 'aws-cdk-lib';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SafeFunction } from './SafeFunction';
import { isIntegerBetween, validateProps } from './validation';

/** Visibility timeout per second of consumer timeout. */
export const CONSUMER_VISIBILITY_FACTOR = 6;

/** Properties of a {@link SafeQueue}. */
export interface SafeQueueProps {
  /**
   * How many times a message is received before it moves to the
   * dead-letter queue: 1 to 5.
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a received message stays hidden. With a consumer it must be at
   * least 6× the consumer's timeout.
   *
   * @default - 6× the consumer's timeout when there is one, else 30 seconds
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long messages are kept, 1 minute to 14 days.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * A function that consumes the queue's messages.
   *
   * @default - none; see {@link SafeQueue.addConsumer}
   */
  readonly consumer?: SafeFunction;
  /**
   * Messages per batch delivered to the consumer, 1 to 10.
   *
   * @default 10
   */
  readonly batchSize?: number;
}

/**
 * An SQS queue with a dead-letter queue (maxReceiveCount at most 5, default
 * 3), SSL enforced, and — when wired to a consumer function — a visibility
 * timeout of at least 6× the function's timeout.
 */
export class SafeQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;
  /** The queue's dead-letter queue. */
  readonly deadLetterQueue: sqs.Queue;
  /** The functions consuming the queue. */
  readonly consumers: SafeFunction[] = [];

  private readonly explicitVisibility?: Duration;
  private visibilitySeconds: number;
  private readonly batchSize?: number;

  constructor(scope: Construct, id: string, props: SafeQueueProps = {}) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    const retention = props.retentionPeriod?.toSeconds();
    validateProps(this, 'SafeQueue', [
      {
        prop: 'maxReceiveCount',
        value: maxReceiveCount,
        ok: isIntegerBetween(maxReceiveCount, 1, 5),
        allowed: 'an integer from 1 to 5',
      },
      {
        prop: 'visibilityTimeout',
        value: props.visibilityTimeout,
        ok:
          props.visibilityTimeout === undefined ||
          props.visibilityTimeout.toSeconds() <= 43200,
        allowed: 'at most 12 hours',
      },
      {
        prop: 'retentionPeriod',
        value: props.retentionPeriod,
        ok: retention === undefined || (retention >= 60 && retention <= 1209600),
        allowed: 'from 1 minute to 14 days',
      },
      {
        prop: 'batchSize',
        value: props.batchSize,
        ok: props.batchSize === undefined || isIntegerBetween(props.batchSize, 1, 10),
        allowed: 'an integer from 1 to 10',
      },
    ]);
    this.explicitVisibility = props.visibilityTimeout;
    this.batchSize = props.batchSize;
    this.visibilitySeconds = props.visibilityTimeout?.toSeconds() ?? 30;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    if (props.consumer) {
      this.addConsumer(props.consumer);
    }
  }

  /** The queue's visibility timeout. */
  get visibilityTimeout(): Duration {
    return Duration.seconds(this.visibilitySeconds);
  }

  /**
   * Wires `consumer` to the queue with an event source mapping. Raises the
   * visibility timeout to 6× the consumer's timeout unless one was given;
   * throws when a given one is shorter than that.
   */
  addConsumer(consumer: SafeFunction): void {
    const required = CONSUMER_VISIBILITY_FACTOR * consumer.timeout.toSeconds();
    if (this.explicitVisibility && this.visibilitySeconds < required) {
      throw new Error(
        `[${this.node.path}] visibilityTimeout ${this.explicitVisibility.toHumanString()} is too short for consumer ${consumer.node.path} with timeout ${consumer.timeout.toHumanString()}: it must be at least ${required} seconds (${CONSUMER_VISIBILITY_FACTOR}×)`,
      );
    }
    if (required > 43200) {
      throw new Error(
        `[${this.node.path}] consumer ${consumer.node.path} timeout ${consumer.timeout.toHumanString()} needs a visibility timeout of ${required} seconds, over the 12 hour maximum`,
      );
    }
    if (this.visibilitySeconds < required) {
      this.visibilitySeconds = required;
      (this.queue.node.defaultChild as sqs.CfnQueue).visibilityTimeout = required;
    }
    consumer.function.addEventSource(
      new lambdaEventSources.SqsEventSource(this.queue, {
        batchSize: this.batchSize ?? 10,
        reportBatchItemFailures: true,
      }),
    );
    this.consumers.push(consumer);
  }
}
