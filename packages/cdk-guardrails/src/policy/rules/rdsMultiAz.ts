import { literalTrue, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { rdsKind } from './rdsResources';

/** Production database instances have a standby in a second zone. */
export const rdsMultiAz: PolicyRule = {
  id: 'SY-RDS-MULTI-AZ',
  severity: 'error',
  description: 'In production, RDS instances are Multi-AZ (a standby in a second availability zone)',
  evaluate(resource, context) {
    // Clusters spread their storage over three zones by design.
    if (rdsKind(resource) !== 'instance' || !context.stage.production) {
      return notApplicable;
    }
    if (!literalTrue(resource.properties.MultiAZ)) {
      return nonCompliant(
        `MultiAZ is ${show(resource.properties.MultiAZ ?? false)} in production stage "${context.stage.name}": set MultiAZ to true`,
      );
    }
    return compliant;
  },
};
