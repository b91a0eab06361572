import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HttpApi } from './HttpApi';
import type { SafeCache } from './SafeCache';
import type { SafeContainerService } from './SafeContainerService';
import type { SafeDatabase } from './SafeDatabase';
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

// PostgreSQL's max_connections on RDS is about the instance memory / 9.5 MB;
// memory (GiB) per burstable class, the classes the stages use.
const INSTANCE_MEMORY_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
};

function maxConnectionsOf(instanceType: string): number {
  const size = instanceType.split('.').pop() ?? '';
  const gib = INSTANCE_MEMORY_GIB[size] ?? 1;
  return Math.min(5000, Math.floor((gib * 1024 ** 3) / 9531392));
}

/**
 * Alarms per resource — Lambda errors and throttles, dead-letter queue depth
 * above 0, oldest message age, DynamoDB throttles, WebSocket integration
 * errors, container CPU and load balancer health, database CPU, storage and
 * connections, cache CPU, memory and connections, HTTP API 5xx — notifying
 * an SNS topic, plus a CloudWatch dashboard. Alarm names
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

  /**
   * Alarms on a container service's CPU (average ≥ 80 %) and, behind a load
   * balancer, its unhealthy targets and 5xx answers.
   */
  monitorContainerService(name: string, service: SafeContainerService): void {
    const cpu = service.service.metricCpuUtilization({ period: Duration.minutes(5) });
    this.addAlarm(`${name}-cpu`, cpu, 80, `Service ${name} uses 80 % of its CPU or more`);
    const widgets: cloudwatch.IMetric[] = [cpu, service.service.metricMemoryUtilization()];
    if (service.targetGroup && service.loadBalancer) {
      const unhealthy = service.targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' });
      const errors = service.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(5) });
      this.addAlarm(`${name}-unhealthy`, unhealthy, 1, `Service ${name} has unhealthy tasks behind its load balancer`);
      this.addAlarm(`${name}-5xx`, errors, 5, `Service ${name} answered 5xx errors`);
      widgets.push(errors);
    }
    this.addWidget(`Service ${name}`, widgets);
  }

  /**
   * Alarms on a database's CPU (≥ 80 %), free storage (below 10 % of what is
   * allocated) and connections (≥ 80 % of what its instance class allows).
   */
  monitorDatabase(name: string, database: SafeDatabase): void {
    const cpu = database.instance.metricCPUUtilization({ period: Duration.minutes(5) });
    const free = database.instance.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: 'Minimum' });
    const connections = database.instance.metricDatabaseConnections({ period: Duration.minutes(5), statistic: 'Maximum' });
    this.addAlarm(`${name}-cpu`, cpu, 80, `Database ${name} uses 80 % of its CPU or more`);
    this.addAlarm(
      `${name}-storage`,
      free,
      database.allocatedStorageGiB * 1024 ** 3 * 0.1,
      `Database ${name} has less than 10 % of its storage free`,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    this.addAlarm(
      `${name}-connections`,
      connections,
      Math.floor(maxConnectionsOf(database.instanceType) * 0.8),
      `Database ${name} holds 80 % of its connections or more`,
    );
    this.addWidget(`Database ${name}`, [cpu, connections]);
  }

  /** Alarms on a cache's engine CPU (≥ 80 %), memory (≥ 80 %) and connections. */
  monitorCache(name: string, cache: SafeCache): void {
    const metric = (metricName: string, statistic = 'Average') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { ReplicationGroupId: cache.replicationGroup.ref },
        statistic,
        period: Duration.minutes(5),
      });
    const cpu = metric('EngineCPUUtilization');
    const memory = metric('DatabaseMemoryUsagePercentage');
    const connections = metric('CurrConnections', 'Maximum');
    this.addAlarm(`${name}-cpu`, cpu, 80, `Cache ${name} uses 80 % of its engine CPU or more`);
    this.addAlarm(`${name}-memory`, memory, 80, `Cache ${name} uses 80 % of its memory or more`);
    this.addAlarm(`${name}-connections`, connections, 1000, `Cache ${name} holds 1000 connections or more`);
    this.addWidget(`Cache ${name}`, [cpu, memory, connections]);
  }

  /** Alarms on an HTTP API's 5xx answers. */
  monitorHttpApi(name: string, api: HttpApi): void {
    const errors = api.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' });
    this.addAlarm(`${name}-5xx`, errors, 5, `HTTP API ${name} answered 5xx errors`);
    this.addWidget(`HTTP API ${name}`, [api.api.metricCount(), errors]);
  }

  private addDeadLetterAlarm(name: string, dlq: sqs.IQueue, description: string): void {
    this.addAlarm(name, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1, description);
  }

  private addAlarm(
    name: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ): void {
    if (!this.enabled) {
      return;
    }
    const alarm = new cloudwatch.Alarm(this, name.replace(ID, ''), {
      alarmName: `${this.stackName}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic!));
    this.alarms.push(alarm);
  }

  private addWidget(title: string, metrics: cloudwatch.IMetric[]): void {
    this.dashboard?.addWidgets(new cloudwatch.GraphWidget({ title, left: metrics, width: 12 }));
  }
}
