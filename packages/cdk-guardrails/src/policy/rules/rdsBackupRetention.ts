import { literalNumber, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { rdsKind } from './rdsResources';

/** The fewest days of automated backups a production database keeps. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** Production databases keep at least a week of automated backups. */
export const rdsBackupRetention: PolicyRule = {
  id: 'SY-RDS-BACKUP-RETENTION',
  severity: 'error',
  description: `In production, RDS instances and clusters keep automated backups at least ${MIN_BACKUP_RETENTION_DAYS} days`,
  evaluate(resource, context) {
    if (!rdsKind(resource) || !context.stage.production) {
      return notApplicable;
    }
    const value = resource.properties.BackupRetentionPeriod;
    const days = literalNumber(value);
    if (days === undefined || days < MIN_BACKUP_RETENTION_DAYS) {
      return nonCompliant(
        `BackupRetentionPeriod is ${
          value === undefined ? 'not set (1 day by default)' : show(value)
        } in production stage "${context.stage.name}": keep backups at least ${MIN_BACKUP_RETENTION_DAYS} days`,
      );
    }
    return compliant;
  },
};
