import { Template } from 'aws-cdk-lib/assertions';
import { SafeCache, SafeCacheProps } from './SafeCache';
import { ServiceNetwork } from './ServiceNetwork';
import { testStack } from './testing';

function cacheIn(stage: string, props: Partial<SafeCacheProps> = {}) {
  const stack = testStack({ stage });
  const network = new ServiceNetwork(stack, 'Network');
  const cache = new SafeCache(stack, 'Queue', { network, ...props });
  return { cache, template: Template.fromStack(stack) };
}

const groupOf = (template: Template) =>
  Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'))[0];

describe('SafeCache', () => {
  it('is one Redis 7 node on cache.t3.micro in dev with a day of snapshots, encrypted in transit and at rest', () => {
    const { cache, template } = cacheIn('dev');
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      EngineVersion: '7.1',
      CacheNodeType: 'cache.t3.micro',
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
      MultiAZEnabled: false,
      SnapshotRetentionLimit: 1,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
    });
    expect(cache.nodes).toBe(1);
  });

  it('uses the default redis7 parameters: no appendonly, which ElastiCache does not support', () => {
    for (const stage of ['dev', 'prod']) {
      const { template } = cacheIn(stage);
      template.resourceCountIs('AWS::ElastiCache::ParameterGroup', 0);
      expect(groupOf(template).Properties.CacheParameterGroupName).toBeUndefined();
      expect(JSON.stringify(template.toJSON())).not.toMatch(/appendonly|appendfsync/);
    }
  });

  it('is cache.t3.small in prod with a Multi-AZ replica, automatic failover, a week of snapshots and a final one', () => {
    const { cache, template } = cacheIn('prod');
    const group = groupOf(template);
    expect(group).toMatchObject({
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        CacheNodeType: 'cache.t3.small',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        SnapshotRetentionLimit: 7,
        AtRestEncryptionEnabled: true,
      },
    });
    // Pinning zones would replace a group built by an earlier version.
    expect(group.Properties.PreferredCacheClusterAZs).toBeUndefined();
    // The subnet group ElastiCache places the nodes in spans two zones.
    const [subnetGroup] = Object.values(template.findResources('AWS::ElastiCache::SubnetGroup'));
    expect(subnetGroup.Properties.SubnetIds).toHaveLength(2);
    expect(cache.nodes).toBe(2);
  });

  it('keeps no snapshots in an ephemeral preview', () => {
    expect(groupOf(cacheIn('preview').template).Properties.SnapshotRetentionLimit).toBe(0);
  });

  it('takes a replica outside production when asked', () => {
    expect(groupOf(cacheIn('staging', { multiAz: true }).template).Properties).toMatchObject({
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
  });

  it.each([
    ['dev', { nodeType: 'cache.t2.micro' }, 'nodeType "cache.t2.micro" is not allowed: a node type like "cache.t3.micro"; not cache.t1 or cache.t2, which support neither snapshots nor Multi-AZ'],
    ['dev', { nodeType: 't3.micro' }, 'nodeType "t3.micro" is not allowed'],
    ['dev', { snapshotRetentionDays: 40 }, 'snapshotRetentionDays 40 is not allowed: stage "dev" keeps snapshots: an integer from 1 to 35'],
    ['dev', { snapshotRetentionDays: 0 }, 'snapshotRetentionDays 0 is not allowed: stage "dev" keeps snapshots: an integer from 1 to 35'],
    ['prod', { snapshotRetentionDays: 3 }, 'snapshotRetentionDays 3 is not allowed: stage "prod" keeps snapshots: an integer from 7 to 35'],
    ['prod', { multiAz: false }, 'multiAz false is not allowed: stage "prod" is production, so the cache needs a replica with automatic failover (true)'],
  ])('refuses in %s %j, quoting it with the construct path', (stage, props, message) => {
    const stack = testStack({ stage });
    const network = new ServiceNetwork(stack, 'Network');
    expect(() => new SafeCache(stack, 'C', { network, ...props })).toThrow(`[Svc/C] invalid SafeCache props: ${message}`);
  });
});
