import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SafeFunction } from './SafeFunction';
import type { SafeQueue } from './SafeQueue';
import type { SafeTable } from './SafeTable';
import type { WebSocketApi } from './WebSocketApi';
import { stageConfigOf } from './stageOf';
import { validateProps } from './validation';

/** Properties of {@link ServiceAlarms}. */
export interface ServiceAlarmsProps {
  /**
   * Whether alarms, the topic and the dashboard are created.
   *
   * @default - the stage's `alarmsEnabled`
   */
  readonly enabled?: boolean;
  /**
   * How old the oldest message of a queue may get before alarming.
   *
   * @default Duration.minutes(5)
   */
  readonly maxMessageAge?: Duration;
  /**
   * The topic alarms notify.
   *
   * @default - a new topic
   */
  readonly topic?: sns.ITopic;
}

const ID = /[^A-Za-z0-9-]/g;

/**
 * Alarms per resource — Lambda errors and throttles, dead-letter queue depth
 * above 0, oldest message age, DynamoDB throttles, WebSocket integration
 * errors — notifying an SNS topic, plus a CloudWatch dashboard. Alarm names
 * start with the stack name, so they can be found by prefix. When disabled
 * (by default in stages without alarms) the `monitor*` methods add nothing.
 */
export class ServiceAlarms extends Construct {
  /** Whether alarms are created. */
  readonly enabled: boolean;
  /** The topic alarms notify, when enabled. */
  readonly topic?: sns.ITopic;
  /** The dashboard, when enabled. */
  readonly dashboard?: cloudwatch.Dashboard;
  /** Every alarm created. */
  readonly alarms: cloudwatch.Alarm[] = [];

  private readonly maxMessageAge: Duration;
  private readonly stackName: string;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps = {}) {
    super(scope, id);
    this.enabled = props.enabled ?? stageConfigOf(this).alarmsEnabled;
    this.maxMessageAge = props.maxMessageAge ?? Duration.minutes(5);
    validateProps(this, 'ServiceAlarms', [
      {
        prop: 'maxMessageAge',
        value: props.maxMessageAge,
        ok: this.maxMessageAge.toSeconds() >= 60,
        allowed: 'at least 1 minute',
      },
    ]);
    this.stackName = Stack.of(this).stackName;
    if (this.enabled) {
      this.topic = props.topic ?? new sns.Topic(this, 'Topic', { enforceSSL: true });
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: this.stackName,
      });
    }
  }

  /** Alarms on a function's errors, throttles and dead-letter queue. */
  monitorFunction(name: string, fn: SafeFunction): void {
    this.addAlarm(`${name}-errors`, fn.function.metricErrors({ period: Duration.minutes(5) }), 1, `Function ${name} reported errors`);
    this.addAlarm(`${name}-throttles`, fn.function.metricThrottles({ period: Duration.minutes(5) }), 1, `Function ${name} was throttled`);
    this.addDeadLetterAlarm(`${name}-dlq`, fn.deadLetterQueue, `Asynchronous invocations of ${name} failed`);
    this.addWidget(`Function ${name}`, [fn.function.metricInvocations(), fn.function.metricErrors(), fn.function.metricThrottles()]);
  }

  /** Alarms on a queue's oldest message age and its dead-letter queue. */
  monitorQueue(name: string, queue: SafeQueue): void {
    this.addAlarm(
      `${name}-age`,
      queue.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      this.maxMessageAge.toSeconds(),
      `Messages of ${name} wait longer than ${this.maxMessageAge.toHumanString()}`,
    );
    this.addDeadLetterAlarm(`${name}-dlq`, queue.deadLetterQueue, `Messages of ${name} were dead-lettered`);
    this.addWidget(`Queue ${name}`, [queue.queue.metricApproximateNumberOfMessagesVisible(), queue.queue.metricApproximateAgeOfOldestMessage()]);
  }

  /** Alarms on a table's read and write throttles. */
  monitorTable(name: string, table: SafeTable): void {
    const read = table.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: Duration.minutes(5) });
    const write = table.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: Duration.minutes(5) });
    this.addAlarm(`${name}-read-throttles`, read, 1, `Reads of table ${name} were throttled`);
    this.addAlarm(`${name}-write-throttles`, write, 1, `Writes of table ${name} were throttled`);
    this.addWidget(`Table ${name}`, [read, write]);
  }

  /** Alarms on a WebSocket API's integration errors. */
  monitorWebSocketApi(name: string, api: WebSocketApi): void {
    const errors = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: 'IntegrationError',
      dimensionsMap: { ApiId: api.api.apiId, Stage: api.stage.stageName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.addAlarm(`${name}-integration-errors`, errors, 1, `Integrations of WebSocket API ${name} failed`);
    this.addWidget(`WebSocket ${name}`, [errors]);
  }

  private addDeadLetterAlarm(name: string, dlq: sqs.IQueue, description: string): void {
    this.addAlarm(name, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1, description);
  }

  private addAlarm(name: string, metric: cloudwatch.IMetric, threshold: number, description: string): void {
    if (!this.enabled) {
      return;
    }
    const alarm = new cloudwatch.Alarm(this, name.replace(ID, ''), {
      alarmName: `${this.stackName}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic!));
    this.alarms.push(alarm);
  }

  private addWidget(title: string, metrics: cloudwatch.IMetric[]): void {
    this.dashboard?.addWidgets(new cloudwatch.GraphWidget({ title, left: metrics, width: 12 }));
  }
}
