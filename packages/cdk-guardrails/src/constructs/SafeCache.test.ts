import { Match, Template } from 'aws-cdk-lib/assertions';
import { SafeCache } from './SafeCache';
import { ServiceNetwork } from './ServiceNetwork';
import { testStack } from './testing';

function cacheIn(stage: string) {
  const stack = testStack({ stage });
  const network = new ServiceNetwork(stack, 'Network');
  new SafeCache(stack, 'Queue', { network });
  return Template.fromStack(stack);
}

describe('SafeCache', () => {
  it('is Redis 7 on cache.t3.micro in dev, with AOF and encryption in transit and at rest', () => {
    const template = cacheIn('dev');
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'redis7',
      Properties: { appendonly: 'yes', appendfsync: 'everysec' },
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      EngineVersion: '7.1',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 1,
      // AOF is off in Multi-AZ replication groups, so there is no failover.
      AutomaticFailoverEnabled: false,
      MultiAZEnabled: false,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      CacheParameterGroupName: { Ref: Match.stringLikeRegexp('^QueueParameters') },
    });
  });

  it('is cache.t3.small in prod, keeping a final snapshot and a week of snapshots', () => {
    cacheIn('prod').hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Snapshot',
      Properties: { CacheNodeType: 'cache.t3.small', SnapshotRetentionLimit: 7, AtRestEncryptionEnabled: true },
    });
  });

  it.each([
    [{ nodeType: 'cache.t2.micro' }, 'nodeType "cache.t2.micro" is not allowed: a node type like "cache.t3.micro"; not cache.t1 or cache.t2, on which ElastiCache ignores AOF'],
    [{ nodeType: 't3.micro' }, 'nodeType "t3.micro" is not allowed'],
    [{ snapshotRetentionDays: 40 }, 'snapshotRetentionDays 40 is not allowed: an integer from 0 to 35'],
  ])('refuses %j, quoting it with the construct path', (props, message) => {
    const stack = testStack();
    const network = new ServiceNetwork(stack, 'Network');
    expect(() => new SafeCache(stack, 'C', { network, ...props })).toThrow(`[Svc/C] invalid SafeCache props: ${message}`);
  });
});
