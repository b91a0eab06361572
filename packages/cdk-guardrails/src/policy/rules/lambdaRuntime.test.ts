import { describeRule, res } from '../ruleHarness';
import { deprecatedRuntimeReason, lambdaRuntime } from './lambdaRuntime';

const fn = (props: Record<string, unknown>) => res('Fn', 'AWS::Lambda::Function', props);

describeRule(lambdaRuntime, {
  compliant: [
    { name: 'nodejs22.x', resource: fn({ Runtime: 'nodejs22.x' }) },
    { name: 'nodejs24.x', resource: fn({ Runtime: 'nodejs24.x' }) },
    { name: 'python3.13', resource: fn({ Runtime: 'python3.13' }) },
  ],
  nonCompliant: [
    { name: 'nodejs20.x', resource: fn({ Runtime: 'nodejs20.x' }), message: /"nodejs20.x" is deprecated: use nodejs22.x or newer/ },
    { name: 'nodejs18.x', resource: fn({ Runtime: 'nodejs18.x' }) },
    { name: 'python3.9', resource: fn({ Runtime: 'python3.9' }), message: /python3.10 or newer/ },
    { name: 'go1.x', resource: fn({ Runtime: 'go1.x' }) },
    { name: 'non-literal runtime', resource: fn({ Runtime: { Ref: 'R' } }), message: /not a literal/ },
  ],
  notApplicable: [
    { name: 'container image', resource: fn({ PackageType: 'Image' }) },
    { name: 'a queue', resource: res('Q', 'AWS::SQS::Queue') },
  ],
});

describe('deprecatedRuntimeReason', () => {
  it('accepts supported runtimes of other families', () => {
    expect(deprecatedRuntimeReason('java21')).toBeUndefined();
    expect(deprecatedRuntimeReason('provided.al2023')).toBeUndefined();
    expect(deprecatedRuntimeReason('nodejs')).toMatch(/nodejs22/);
  });
});
