import { describeRule, res } from '../ruleHarness';
import { lambdaMemory } from './lambdaMemory';

describeRule(lambdaMemory, {
  compliant: [{ name: 'explicit memory', resource: res('F', 'AWS::Lambda::Function', { MemorySize: 256 }) }],
  nonCompliant: [{ name: 'default memory', resource: res('F', 'AWS::Lambda::Function', { Timeout: 5 }), message: /MemorySize is not set/ }],
  notApplicable: [{ name: 'a role', resource: res('R', 'AWS::IAM::Role') }],
});
