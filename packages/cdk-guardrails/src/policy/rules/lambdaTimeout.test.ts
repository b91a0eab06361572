import { describeRule, res } from '../ruleHarness';
import { lambdaTimeout } from './lambdaTimeout';

describeRule(lambdaTimeout, {
  compliant: [{ name: 'explicit timeout', resource: res('F', 'AWS::Lambda::Function', { Timeout: 10 }) }],
  nonCompliant: [{ name: 'default timeout', resource: res('F', 'AWS::Lambda::Function'), message: /Timeout is not set/ }],
  notApplicable: [{ name: 'a table', resource: res('T', 'AWS::DynamoDB::Table', { Timeout: 1 }) }],
});
