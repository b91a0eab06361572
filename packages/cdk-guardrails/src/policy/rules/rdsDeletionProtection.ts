import { literalTrue, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { rdsKind } from './rdsResources';

const KEEPS_DATA = ['Snapshot', 'Retain'];

/** Production databases refuse deletion and leave a snapshot when removed. */
export const rdsDeletionProtection: PolicyRule = {
  id: 'SY-RDS-DELETION-PROTECTION',
  severity: 'error',
  description:
    'In production, RDS instances and clusters have deletion protection on and DeletionPolicy Snapshot (or Retain)',
  evaluate(resource, context) {
    if (!rdsKind(resource) || !context.stage.production) {
      return notApplicable;
    }
    const wrong: string[] = [];
    if (!literalTrue(resource.properties.DeletionProtection)) {
      wrong.push(`DeletionProtection is ${show(resource.properties.DeletionProtection ?? false)}`);
    }
    if (!KEEPS_DATA.includes(resource.deletionPolicy ?? '')) {
      wrong.push(`DeletionPolicy is ${show(resource.deletionPolicy ?? 'Delete')}`);
    }
    if (wrong.length > 0) {
      return nonCompliant(
        `${wrong.join(' and ')} in production stage "${context.stage.name}": set DeletionProtection to true and DeletionPolicy to "Snapshot"`,
      );
    }
    return compliant;
  },
};
