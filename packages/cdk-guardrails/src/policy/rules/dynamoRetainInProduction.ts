import { show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { isTable } from './dynamoTables';

/** Production tables must survive stack deletion and replacement. */
export const dynamoRetainInProduction: PolicyRule = {
  id: 'SY-DDB-RETAIN',
  severity: 'error',
  description:
    'In production, DynamoDB tables have DeletionPolicy and UpdateReplacePolicy Retain',
  evaluate(resource, context) {
    if (!isTable(resource) || !context.stage.production) {
      return notApplicable;
    }
    const wrong: string[] = [];
    if (resource.deletionPolicy !== 'Retain') {
      wrong.push(`DeletionPolicy is ${show(resource.deletionPolicy ?? 'Delete')}`);
    }
    if (resource.updateReplacePolicy !== 'Retain') {
      wrong.push(
        `UpdateReplacePolicy is ${show(resource.updateReplacePolicy ?? 'Delete')}`,
      );
    }
    if (wrong.length > 0) {
      return nonCompliant(
        `${wrong.join(' and ')} in production stage "${context.stage.name}": both must be "Retain"`,
      );
    }
    return compliant;
  },
};
