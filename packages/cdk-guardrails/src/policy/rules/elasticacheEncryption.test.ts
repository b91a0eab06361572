import { describeRule, res } from '../ruleHarness';
import { elasticacheEncryption } from './elasticacheEncryption';

describeRule(elasticacheEncryption, {
  compliant: [
    {
      name: 'encrypted replication group',
      resource: res('R', 'AWS::ElastiCache::ReplicationGroup', { TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true }),
      stage: 'dev',
    },
    {
      name: 'memcached with TLS',
      resource: res('M', 'AWS::ElastiCache::CacheCluster', { Engine: 'memcached', TransitEncryptionEnabled: true }),
    },
  ],
  nonCompliant: [
    {
      name: 'no encryption',
      resource: res('R', 'AWS::ElastiCache::ReplicationGroup'),
      message: /^TransitEncryptionEnabled is false and AtRestEncryptionEnabled is false: set both to true$/,
    },
    {
      name: 'at rest only',
      resource: res('R', 'AWS::ElastiCache::ReplicationGroup', { AtRestEncryptionEnabled: true }),
      message: /^TransitEncryptionEnabled is false: set both/,
    },
    {
      name: 'standalone Redis cluster',
      resource: res('C', 'AWS::ElastiCache::CacheCluster', { Engine: 'redis', TransitEncryptionEnabled: true }),
      message: /standalone "redis" cache cluster cannot encrypt at rest: use a replication group/,
    },
    {
      name: 'memcached without TLS',
      resource: res('M', 'AWS::ElastiCache::CacheCluster', { Engine: 'memcached' }),
      message: /TransitEncryptionEnabled is false/,
    },
  ],
  notApplicable: [
    { name: 'global datastore member', resource: res('R', 'AWS::ElastiCache::ReplicationGroup', { GlobalReplicationGroupId: 'g' }) },
    { name: 'a parameter group', resource: res('P', 'AWS::ElastiCache::ParameterGroup') },
  ],
});
