import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Lambda functions must set their timeout explicitly. */
export const lambdaTimeout: PolicyRule = {
  id: 'SY-LAMBDA-TIMEOUT',
  severity: 'error',
  description: 'Lambda functions set Timeout explicitly instead of the 3 s default',
  evaluate(resource) {
    if (resource.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    if (resource.properties.Timeout === undefined) {
      return nonCompliant(
        'Timeout is not set: the 3 second default applies silently; set an explicit timeout',
      );
    }
    return compliant;
  },
};
