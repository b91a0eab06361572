import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SafeQueue } from './SafeQueue';
import { SafeTable } from './SafeTable';
import { ServiceAlarms } from './ServiceAlarms';
import { WebSocketApi } from './WebSocketApi';
import { testFunction, testStack } from './testing';

function monitored(stage: string) {
  const stack = testStack({ stage });
  const fn = testFunction(stack, 'Worker');
  const queue = new SafeQueue(stack, 'Jobs', { consumer: fn });
  const table = new SafeTable(stack, 'Items', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const ws = new WebSocketApi(stack, 'Socket', { routes: { $default: fn } });
  const alarms = new ServiceAlarms(stack, 'Alarms');
  alarms.monitorFunction('worker', fn);
  alarms.monitorQueue('jobs', queue);
  alarms.monitorTable('items', table);
  alarms.monitorWebSocketApi('socket', ws);
  return { alarms, template: Template.fromStack(stack) };
}

describe('ServiceAlarms', () => {
  const { alarms, template } = monitored('prod');

  it('alarms per resource, named with the stack name as prefix', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(a => a.Properties.AlarmName);
    expect(names.sort()).toEqual([
      'wo-42-prod-items-read-throttles',
      'wo-42-prod-items-write-throttles',
      'wo-42-prod-jobs-age',
      'wo-42-prod-jobs-dlq',
      'wo-42-prod-socket-integration-errors',
      'wo-42-prod-worker-dlq',
      'wo-42-prod-worker-errors',
      'wo-42-prod-worker-throttles',
    ]);
    expect(alarms.alarms).toHaveLength(8);
  });

  it('alarms when a dead-letter queue holds any message and on integration errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'wo-42-prod-jobs-dlq',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'wo-42-prod-socket-integration-errors',
      Namespace: 'AWS/ApiGateway',
      MetricName: 'IntegrationError',
    });
  });

  it('notifies an SNS topic and draws a dashboard', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'wo-42-prod' });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('creates nothing in stages without alarms', () => {
    const dev = monitored('dev');
    expect(dev.alarms.enabled).toBe(false);
    dev.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    dev.template.resourceCountIs('AWS::SNS::Topic', 0);
    dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});
