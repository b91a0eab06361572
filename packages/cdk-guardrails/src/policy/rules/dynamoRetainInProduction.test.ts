import { describeRule, res } from '../ruleHarness';
import { dynamoRetainInProduction } from './dynamoRetainInProduction';

const retain = { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' };

describeRule(dynamoRetainInProduction, {
  compliant: [
    { name: 'table', resource: res('T', 'AWS::DynamoDB::Table', {}, retain) },
    { name: 'global table', resource: res('G', 'AWS::DynamoDB::GlobalTable', {}, retain) },
  ],
  nonCompliant: [
    { name: 'no policies', resource: res('T', 'AWS::DynamoDB::Table'), message: /DeletionPolicy is "Delete" and UpdateReplacePolicy is "Delete" in production/ },
    {
      name: 'snapshot replace policy',
      resource: res('T', 'AWS::DynamoDB::Table', {}, { deletionPolicy: 'Retain', updateReplacePolicy: 'Snapshot' }),
      message: /^UpdateReplacePolicy is "Snapshot"/,
    },
  ],
  notApplicable: [
    { name: 'dev stage', resource: res('T', 'AWS::DynamoDB::Table'), stage: 'dev' },
    { name: 'a queue in prod', resource: res('Q', 'AWS::SQS::Queue') },
  ],
});
