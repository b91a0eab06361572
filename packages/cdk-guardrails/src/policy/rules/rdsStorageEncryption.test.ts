import { describeRule, res } from '../ruleHarness';
import { rdsStorageEncryption } from './rdsStorageEncryption';

describeRule(rdsStorageEncryption, {
  compliant: [
    { name: 'encrypted instance in dev', resource: res('D', 'AWS::RDS::DBInstance', { StorageEncrypted: true }), stage: 'dev' },
    { name: 'encrypted cluster', resource: res('C', 'AWS::RDS::DBCluster', { StorageEncrypted: 'true' }) },
  ],
  nonCompliant: [
    {
      name: 'not set',
      resource: res('D', 'AWS::RDS::DBInstance'),
      message: /^StorageEncrypted is false: storage is not encrypted at rest/,
    },
    {
      name: 'off in a preview stage too',
      resource: res('D', 'AWS::RDS::DBInstance', { StorageEncrypted: false }),
      stage: 'preview',
    },
  ],
  notApplicable: [
    { name: 'restored from a snapshot', resource: res('D', 'AWS::RDS::DBInstance', { DBSnapshotIdentifier: 'snap' }) },
    { name: 'cluster member', resource: res('D', 'AWS::RDS::DBInstance', { DBClusterIdentifier: 'c' }) },
    { name: 'a bucket', resource: res('B', 'AWS::S3::Bucket') },
  ],
});
