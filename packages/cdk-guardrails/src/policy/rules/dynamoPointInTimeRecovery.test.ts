import { describeRule, res } from '../ruleHarness';
import { dynamoPointInTimeRecovery } from './dynamoPointInTimeRecovery';

const on = { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } };

describeRule(dynamoPointInTimeRecovery, {
  compliant: [
    { name: 'table', resource: res('T', 'AWS::DynamoDB::Table', on) },
    {
      name: 'global table, every replica',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', ...on }, { Region: 'us-east-1', ...on }] }),
    },
  ],
  nonCompliant: [
    { name: 'table without PITR', resource: res('T', 'AWS::DynamoDB::Table'), message: /point-in-time recovery is off/ },
    {
      name: 'one replica without PITR',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', ...on }, { Region: 'us-east-1' }] }),
      message: /off in replica us-east-1/,
    },
  ],
  notApplicable: [{ name: 'a queue', resource: res('Q', 'AWS::SQS::Queue', on) }],
});
