import { literalTrue, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Cache data is encrypted in transit and at rest. */
export const elasticacheEncryption: PolicyRule = {
  id: 'SY-ELASTICACHE-ENCRYPTION',
  severity: 'error',
  description:
    'ElastiCache replication groups encrypt in transit and at rest; standalone Redis cache clusters (which cannot encrypt at rest) are refused',
  evaluate(resource) {
    if (resource.type === 'AWS::ElastiCache::CacheCluster') {
      const engine = String(resource.properties.Engine ?? '').toLowerCase();
      if (engine === 'memcached') {
        return literalTrue(resource.properties.TransitEncryptionEnabled)
          ? compliant
          : nonCompliant(
              `TransitEncryptionEnabled is ${show(
                resource.properties.TransitEncryptionEnabled ?? false,
              )}: set it to true`,
            );
      }
      return nonCompliant(
        `a standalone ${show(
          resource.properties.Engine ?? 'redis',
        )} cache cluster cannot encrypt at rest: use a replication group (AWS::ElastiCache::ReplicationGroup) with AtRestEncryptionEnabled and TransitEncryptionEnabled`,
      );
    }
    if (resource.type !== 'AWS::ElastiCache::ReplicationGroup') {
      return notApplicable;
    }
    // A member of a global datastore takes its encryption from the primary.
    if (resource.properties.GlobalReplicationGroupId !== undefined) {
      return notApplicable;
    }
    const off = (['TransitEncryptionEnabled', 'AtRestEncryptionEnabled'] as const).filter(
      key => !literalTrue(resource.properties[key]),
    );
    if (off.length > 0) {
      return nonCompliant(
        `${off.map(key => `${key} is ${show(resource.properties[key] ?? false)}`).join(' and ')}: set both to true`,
      );
    }
    return compliant;
  },
};
