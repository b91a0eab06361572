import { paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import type { EnvironmentAlarm } from '@stackyard/plugin-stackyard-common';
import { AwsClientFactory, AwsTarget } from './AwsClientFactory';

/** CloudWatch operations Stackyard uses. */
export interface AlarmGateway {
  /**
   * Metric and composite alarms of the target's account and region, all
   * pages; only those whose name starts with `namePrefix` when given.
   */
  listAlarms(
    target: AwsTarget,
    namePrefix?: string,
  ): Promise<EnvironmentAlarm[]>;
}

const STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const toAlarm = (
  type: EnvironmentAlarm['type'],
  alarm: {
    AlarmName?: string;
    StateValue?: string;
    StateReason?: string;
    StateUpdatedTimestamp?: Date;
  },
): EnvironmentAlarm => ({
  name: alarm.AlarmName ?? '',
  type,
  state: (STATES.has(alarm.StateValue ?? '')
    ? alarm.StateValue
    : 'INSUFFICIENT_DATA') as EnvironmentAlarm['state'],
  reason: alarm.StateReason,
  updatedAt: alarm.StateUpdatedTimestamp?.toISOString(),
});

/** {@link AlarmGateway} over the AWS SDK v3 CloudWatch client. */
export class CloudWatchAlarms implements AlarmGateway {
  static create(options: { clients: AwsClientFactory }): CloudWatchAlarms {
    return new CloudWatchAlarms(options.clients);
  }

  private constructor(private readonly clients: AwsClientFactory) {}

  async listAlarms(
    target: AwsTarget,
    namePrefix?: string,
  ): Promise<EnvironmentAlarm[]> {
    const client = await this.clients.cloudWatch(target);
    const alarms: EnvironmentAlarm[] = [];
    const pages = paginateDescribeAlarms(
      { client, pageSize: 100 },
      {
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        AlarmNamePrefix: namePrefix,
      },
    );
    for await (const page of pages) {
      alarms.push(...(page.MetricAlarms ?? []).map(a => toAlarm('metric', a)));
      alarms.push(
        ...(page.CompositeAlarms ?? []).map(a => toAlarm('composite', a)),
      );
    }
    return alarms;
  }
}
