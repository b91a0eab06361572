import { literalTrue, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { rdsKind } from './rdsResources';

/** Database storage is encrypted at rest, in every stage. */
export const rdsStorageEncryption: PolicyRule = {
  id: 'SY-RDS-ENCRYPTION',
  severity: 'error',
  description: 'RDS instances and clusters encrypt their storage (StorageEncrypted true)',
  evaluate(resource) {
    if (!rdsKind(resource)) {
      return notApplicable;
    }
    // A cluster restored from a snapshot takes the snapshot's encryption.
    if (
      resource.properties.SnapshotIdentifier !== undefined ||
      resource.properties.DBSnapshotIdentifier !== undefined
    ) {
      return notApplicable;
    }
    if (!literalTrue(resource.properties.StorageEncrypted)) {
      return nonCompliant(
        `StorageEncrypted is ${show(
          resource.properties.StorageEncrypted ?? false,
        )}: storage is not encrypted at rest; set StorageEncrypted to true (it cannot be turned on later without a new instance)`,
      );
    }
    return compliant;
  },
};
