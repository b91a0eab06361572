import { describeRule, res } from '../ruleHarness';
import { dynamoDeletionProtection } from './dynamoDeletionProtection';

describeRule(dynamoDeletionProtection, {
  compliant: [
    { name: 'table', resource: res('T', 'AWS::DynamoDB::Table', { DeletionProtectionEnabled: true }), stage: 'dev' },
    {
      name: 'global table',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', DeletionProtectionEnabled: true }] }),
    },
  ],
  nonCompliant: [
    { name: 'off in prod', resource: res('T', 'AWS::DynamoDB::Table'), message: /deletion protection is off in stage "prod"/ },
    { name: 'off in dev', resource: res('T', 'AWS::DynamoDB::Table', { DeletionProtectionEnabled: false }), stage: 'dev' },
    { name: 'global table without replicas', resource: res('G', 'AWS::DynamoDB::GlobalTable'), message: /no Replicas/ },
  ],
  notApplicable: [
    { name: 'ephemeral preview stage', resource: res('T', 'AWS::DynamoDB::Table'), stage: 'preview' },
    { name: 'a function', resource: res('F', 'AWS::Lambda::Function') },
  ],
});
