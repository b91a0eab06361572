import { describeRule, res } from '../ruleHarness';
import { rdsBackupRetention } from './rdsBackupRetention';

describeRule(rdsBackupRetention, {
  compliant: [
    { name: 'seven days', resource: res('D', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 7 }) },
    { name: 'a month, as a string', resource: res('C', 'AWS::RDS::DBCluster', { BackupRetentionPeriod: '30' }) },
  ],
  nonCompliant: [
    {
      name: 'default of one day',
      resource: res('D', 'AWS::RDS::DBInstance'),
      message: /^BackupRetentionPeriod is not set \(1 day by default\) in production stage "prod"/,
    },
    {
      name: 'three days',
      resource: res('D', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 3 }),
      message: /BackupRetentionPeriod is 3 .*at least 7 days/,
    },
    {
      name: 'backups off',
      resource: res('D', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 0 }),
      message: /BackupRetentionPeriod is 0/,
    },
    {
      name: 'unknown until deploy',
      resource: res('D', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: { Ref: 'Days' } }),
      message: /BackupRetentionPeriod is \{"Ref":"Days"\}/,
    },
  ],
  notApplicable: [
    { name: 'dev stage', resource: res('D', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 1 }), stage: 'dev' },
    { name: 'read replica', resource: res('R', 'AWS::RDS::DBInstance', { SourceDBInstanceIdentifier: 'db-1' }) },
    { name: 'a queue', resource: res('Q', 'AWS::SQS::Queue') },
  ],
});
