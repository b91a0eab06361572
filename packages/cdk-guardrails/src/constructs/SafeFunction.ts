import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deprecatedRuntimeReason } from '../policy/rules/lambdaRuntime';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** Properties of a {@link SafeFunction}. */
export interface SafeFunctionProps {
  /** The function's code. */
  readonly code: lambda.Code;
  /** The handler, e.g. `index.handler`. */
  readonly handler: string;
  /**
   * How long an invocation may run: 1 second to 15 minutes. Required: the
   * 3 second default is never taken silently.
   */
  readonly timeout: Duration;
  /** Memory in MB, an integer from 128 to 10240. Required. */
  readonly memorySize: number;
  /**
   * The most concurrent executions this function may use, an integer from 1
   * to 1000. Required, so one function cannot exhaust the account.
   */
  readonly reservedConcurrentExecutions: number;
  /**
   * The runtime; Node.js 22 or newer, or another supported runtime.
   *
   * @default lambda.Runtime.NODEJS_22_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * How many times a failed asynchronous invocation is retried before it
   * goes to the dead-letter queue: 0 to 2.
   *
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long logs are kept.
   *
   * @default - the stage's `logRetentionDays`
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Lambda function with an explicit timeout, memory size and reserved
 * concurrency, a dead-letter queue for asynchronous invocations, a log group
 * with a retention, and a supported runtime.
 */
export class SafeFunction extends Construct {
  /** The underlying function. */
  readonly function: lambda.Function;
  /** The queue failed asynchronous invocations go to. */
  readonly deadLetterQueue: sqs.Queue;
  /** The function's log group. */
  readonly logGroup: logs.LogGroup;
  /** The function's timeout. */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: SafeFunctionProps) {
    super(scope, id);
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_22_X;
    const seconds = props.timeout?.toSeconds();
    validateProps(this, 'SafeFunction', [
      {
        prop: 'timeout',
        value: props.timeout,
        ok: seconds !== undefined && seconds >= 1 && seconds <= 900,
        allowed: 'from 1 second to 15 minutes',
      },
      {
        prop: 'memorySize',
        value: props.memorySize,
        ok: isIntegerBetween(props.memorySize, 128, 10240),
        allowed: 'an integer from 128 to 10240 (MB)',
      },
      {
        prop: 'reservedConcurrentExecutions',
        value: props.reservedConcurrentExecutions,
        ok: isIntegerBetween(props.reservedConcurrentExecutions, 1, 1000),
        allowed: 'an integer from 1 to 1000',
      },
      {
        prop: 'runtime',
        value: runtime.name,
        ok: deprecatedRuntimeReason(runtime.name) === undefined,
        allowed: deprecatedRuntimeReason(runtime.name) ?? '',
      },
      {
        prop: 'retryAttempts',
        value: props.retryAttempts,
        ok:
          props.retryAttempts === undefined ||
          isIntegerBetween(props.retryAttempts, 0, 2),
        allowed: 'an integer from 0 to 2',
      },
    ]);
    const stage = stageConfigOf(this);
    this.timeout = props.timeout;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? (stage.logRetentionDays as logs.RetentionDays),
      removalPolicy: stage.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.function = new lambda.Function(this, 'Function', {
      code: props.code,
      handler: props.handler,
      runtime,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: props.environment ? { ...props.environment } : undefined,
      description: props.description,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.retryAttempts ?? 2,
      logGroup: this.logGroup,
    });
  }
}
