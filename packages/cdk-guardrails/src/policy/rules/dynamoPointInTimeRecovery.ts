import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { isTable, tableSettings } from './dynamoTables';

/** Tables must be restorable to any second of the last 35 days. */
export const dynamoPointInTimeRecovery: PolicyRule = {
  id: 'SY-DDB-PITR',
  severity: 'error',
  description: 'DynamoDB tables (and every global table replica) have point-in-time recovery on',
  evaluate(resource) {
    if (!isTable(resource)) {
      return notApplicable;
    }
    const off = tableSettings(resource).filter(
      ({ settings }) =>
        (settings.PointInTimeRecoverySpecification as any)
          ?.PointInTimeRecoveryEnabled !== true,
    );
    if (off.length > 0) {
      return nonCompliant(
        `point-in-time recovery is off${off.map(o => o.where).join(',')}: set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled to true`,
      );
    }
    return compliant;
  },
};
