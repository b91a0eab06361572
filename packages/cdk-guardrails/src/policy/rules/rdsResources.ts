import type { TemplateResource } from '../types';

/**
 * What an RDS rule judges: a DB cluster, or a DB instance that is neither a
 * member of a cluster (whose settings live on the cluster) nor a read
 * replica (which inherits them from its source). Undefined for anything
 * else.
 */
export function rdsKind(resource: TemplateResource): 'instance' | 'cluster' | undefined {
  if (resource.type === 'AWS::RDS::DBCluster') {
    return 'cluster';
  }
  if (
    resource.type === 'AWS::RDS::DBInstance' &&
    resource.properties.DBClusterIdentifier === undefined &&
    resource.properties.SourceDBInstanceIdentifier === undefined &&
    resource.properties.SourceDBInstanceAutomatedBackupsArn === undefined
  ) {
    return 'instance';
  }
  return undefined;
}

