import { describeRule, res } from '../ruleHarness';
import { rdsDeletionProtection } from './rdsDeletionProtection';

describeRule(rdsDeletionProtection, {
  compliant: [
    {
      name: 'protected instance leaving a snapshot',
      resource: res('D', 'AWS::RDS::DBInstance', { DeletionProtection: true }, { deletionPolicy: 'Snapshot' }),
    },
    {
      name: 'retained cluster',
      resource: res('C', 'AWS::RDS::DBCluster', { DeletionProtection: 'true' }, { deletionPolicy: 'Retain' }),
    },
  ],
  nonCompliant: [
    {
      name: 'unprotected instance',
      resource: res('D', 'AWS::RDS::DBInstance', {}, { deletionPolicy: 'Snapshot' }),
      message: /^DeletionProtection is false in production stage "prod"/,
    },
    {
      name: 'deleted with the stack',
      resource: res('D', 'AWS::RDS::DBInstance', { DeletionProtection: true }),
      message: /DeletionPolicy is "Delete" in production stage "prod": set DeletionProtection to true and DeletionPolicy to "Snapshot"/,
    },
  ],
  notApplicable: [
    { name: 'dev stage', resource: res('D', 'AWS::RDS::DBInstance'), stage: 'dev' },
    { name: 'cluster member (settings live on the cluster)', resource: res('D', 'AWS::RDS::DBInstance', { DBClusterIdentifier: { Ref: 'C' } }) },
    { name: 'a table', resource: res('T', 'AWS::DynamoDB::Table') },
  ],
});
