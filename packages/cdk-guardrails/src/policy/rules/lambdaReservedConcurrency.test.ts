import { describeRule, res } from '../ruleHarness';
import { lambdaReservedConcurrency } from './lambdaReservedConcurrency';

describeRule(lambdaReservedConcurrency, {
  compliant: [
    { name: 'literal limit', resource: res('F', 'AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 }) },
    { name: 'parameter limit', resource: res('F', 'AWS::Lambda::Function', { ReservedConcurrentExecutions: { Ref: 'Limit' } }) },
  ],
  nonCompliant: [
    { name: 'no limit', resource: res('F', 'AWS::Lambda::Function', { Timeout: 3 }), message: /ReservedConcurrentExecutions is not set/ },
  ],
  notApplicable: [{ name: 'a queue', resource: res('Q', 'AWS::SQS::Queue') }],
});
