import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { isTable, tableSettings } from './dynamoTables';

/** Tables must refuse deletion, except in ephemeral preview stages. */
export const dynamoDeletionProtection: PolicyRule = {
  id: 'SY-DDB-DELETION-PROTECTION',
  severity: 'error',
  description:
    'DynamoDB tables (and every global table replica) have deletion protection on, except in ephemeral stages',
  evaluate(resource, context) {
    if (!isTable(resource) || context.stage.ephemeral) {
      return notApplicable;
    }
    const off = tableSettings(resource).filter(
      ({ settings }) => settings.DeletionProtectionEnabled !== true,
    );
    if (off.length > 0) {
      return nonCompliant(
        `deletion protection is off${off.map(o => o.where).join(',')} in stage "${context.stage.name}": set DeletionProtectionEnabled to true`,
      );
    }
    return compliant;
  },
};
