import { describeRule, res } from '../ruleHarness';
import { sqsMaxReceiveCount } from './sqsMaxReceiveCount';

const queue = (maxReceiveCount: unknown) =>
  res('Q', 'AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: 'arn', maxReceiveCount } });

describeRule(sqsMaxReceiveCount, {
  compliant: [
    { name: '3', resource: queue(3) },
    { name: '5', resource: queue(5) },
    { name: 'numeric string', resource: queue('5') },
  ],
  nonCompliant: [
    { name: '6', resource: queue(6), message: /maxReceiveCount is 6: it must be a number from 1 to 5/ },
    { name: '0', resource: queue(0) },
    { name: 'a parameter', resource: queue({ Ref: 'Count' }) },
  ],
  notApplicable: [
    { name: 'no redrive policy', resource: res('Q', 'AWS::SQS::Queue') },
    { name: 'a function', resource: res('F', 'AWS::Lambda::Function') },
  ],
});
