import { describeRule, res } from '../ruleHarness';
import { lambdaDeadLetter } from './lambdaDeadLetter';

const fn = (props: Record<string, unknown> = {}) => res('Fn', 'AWS::Lambda::Function', props);

describeRule(lambdaDeadLetter, {
  compliant: [
    { name: 'dead-letter queue', resource: fn({ DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }) },
    {
      name: 'on-failure destination',
      resource: fn(),
      others: [
        res('Cfg', 'AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: 'Fn' },
          Qualifier: '$LATEST',
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Q', 'Arn'] } } },
        }),
      ],
    },
  ],
  nonCompliant: [
    { name: 'nothing', resource: fn(), message: /failed asynchronous invocations would be lost/ },
    {
      name: 'invoke config of another function',
      resource: fn(),
      others: [
        res('Cfg', 'AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: 'Other' },
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:eu-west-1:1:q' } },
        }),
      ],
    },
    {
      name: 'invoke config without on-failure destination',
      resource: fn(),
      others: [res('Cfg', 'AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: 'Fn' }, MaximumRetryAttempts: 2 })],
    },
  ],
  notApplicable: [{ name: 'an invoke config', resource: res('Cfg', 'AWS::Lambda::EventInvokeConfig') }],
});
