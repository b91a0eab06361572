import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  jsonOf,
  jsonResponse,
  page,
  targetAction,
  unimplemented,
} from './protocol';

/** An alarm of the loopback account. */
export interface LoopbackAlarm {
  name: string;
  type: 'metric' | 'composite';
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
}

/**
 * CloudWatch over the AWS JSON 1.0 protocol the current SDK speaks to it
 * (query-compatible errors): DescribeAlarms, filtered by name prefix and
 * alarm type, paged by `MaxRecords` (at most 100).
 */
export class LoopbackCloudWatch implements LoopbackService {
  readonly signingName = 'monitoring';
  readonly alarms: LoopbackAlarm[] = [];

  actionOf(request: LoopbackRequest): string {
    return targetAction(request);
  }

  error(_action: string, code: string, message: string, status = 400) {
    return jsonResponse(
      '1.0',
      status,
      { __type: code, message },
      { queryCompatible: true },
    );
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    if (action !== 'DescribeAlarms') {
      return unimplemented(
        this.error(
          action,
          'InvalidAction',
          `The loopback CloudWatch does not implement ${
            action || '(no target)'
          }`,
        ),
      );
    }
    const input = jsonOf(request);
    const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
    const matching = this.alarms.filter(
      a =>
        (!input.AlarmNamePrefix || a.name.startsWith(input.AlarmNamePrefix)) &&
        types.includes(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'),
    );
    const listed = page(
      matching,
      input.NextToken,
      Math.min(Number(input.MaxRecords ?? 50), 100),
    );
    const toJson = (a: LoopbackAlarm) => ({
      AlarmName: a.name,
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: Date.UTC(2026, 0, 1) / 1000,
    });
    return jsonResponse('1.0', 200, {
      MetricAlarms: listed.items.filter(a => a.type === 'metric').map(toJson),
      CompositeAlarms: listed.items
        .filter(a => a.type === 'composite')
        .map(toJson),
      ...(listed.nextToken ? { NextToken: listed.nextToken } : {}),
    });
  }
}
