import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Lambda functions must cap their concurrency. */
export const lambdaReservedConcurrency: PolicyRule = {
  id: 'SY-LAMBDA-CONCURRENCY',
  severity: 'error',
  description:
    'Lambda functions set ReservedConcurrentExecutions so one function cannot exhaust the account',
  evaluate(resource) {
    if (resource.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    const value = resource.properties.ReservedConcurrentExecutions;
    if (value === undefined || value === null) {
      return nonCompliant(
        'ReservedConcurrentExecutions is not set: give the function an explicit concurrency limit',
      );
    }
    return compliant;
  },
};
