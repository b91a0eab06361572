import { describeRule, res } from '../ruleHarness';
import { sqsDeadLetterQueue } from './sqsDeadLetterQueue';

const dlqRef = { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 };

describeRule(sqsDeadLetterQueue, {
  compliant: [
    { name: 'redrive policy object', resource: res('Q', 'AWS::SQS::Queue', { RedrivePolicy: dlqRef }) },
    {
      name: 'redrive policy as JSON string',
      resource: res('Q', 'AWS::SQS::Queue', {
        RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:1:dlq","maxReceiveCount":3}',
      }),
    },
  ],
  nonCompliant: [
    { name: 'no redrive policy', resource: res('Q', 'AWS::SQS::Queue'), message: /no RedrivePolicy.deadLetterTargetArn/ },
    { name: 'redrive without target', resource: res('Q', 'AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 3 } }) },
  ],
  notApplicable: [
    {
      name: "another queue's dead-letter queue",
      resource: res('Dlq', 'AWS::SQS::Queue'),
      others: [res('Q', 'AWS::SQS::Queue', { RedrivePolicy: dlqRef })],
    },
    {
      name: "a function's dead-letter queue",
      resource: res('Dlq', 'AWS::SQS::Queue'),
      others: [res('F', 'AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } })],
    },
    {
      name: 'an on-failure destination',
      resource: res('Dlq', 'AWS::SQS::Queue'),
      others: [
        res('C', 'AWS::Lambda::EventInvokeConfig', {
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } },
        }),
      ],
    },
    { name: 'a topic', resource: res('T', 'AWS::SNS::Topic') },
  ],
});
