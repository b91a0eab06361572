import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Lambda functions must size their memory explicitly. */
export const lambdaMemory: PolicyRule = {
  id: 'SY-LAMBDA-MEMORY',
  severity: 'error',
  description: 'Lambda functions set MemorySize explicitly instead of the 128 MB default',
  evaluate(resource) {
    if (resource.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    if (resource.properties.MemorySize === undefined) {
      return nonCompliant(
        'MemorySize is not set: the 128 MB default applies silently; right-size the memory explicitly',
      );
    }
    return compliant;
  },
};
