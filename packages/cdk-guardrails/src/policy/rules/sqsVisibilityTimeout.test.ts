import { describeRule, res } from '../ruleHarness';
import { sqsVisibilityTimeout } from './sqsVisibilityTimeout';

const mapping = res('Esm', 'AWS::Lambda::EventSourceMapping', {
  EventSourceArn: { 'Fn::GetAtt': ['Q', 'Arn'] },
  FunctionName: { Ref: 'Fn' },
});
const queue = (props: Record<string, unknown> = {}) => res('Q', 'AWS::SQS::Queue', props);
const fn = (props: Record<string, unknown> = {}) => res('Fn', 'AWS::Lambda::Function', props);

describeRule(sqsVisibilityTimeout, {
  compliant: [
    { name: 'exactly 6×', resource: mapping, others: [queue({ VisibilityTimeout: 60 }), fn({ Timeout: 10 })] },
    { name: 'defaults (30 s ≥ 6 × 3 s)', resource: mapping, others: [queue(), fn()] },
  ],
  nonCompliant: [
    {
      name: 'below 6×',
      resource: mapping,
      others: [queue({ VisibilityTimeout: 30 }), fn({ Timeout: 10 })],
      message: /visibility timeout of 30 s but its consumer Fn times out after 10 s: it must be at least 60 s/,
    },
    { name: 'default visibility, long timeout', resource: mapping, others: [queue(), fn({ Timeout: 6 })] },
  ],
  notApplicable: [
    { name: 'a queue itself', resource: queue() },
    { name: 'a stream source', resource: mapping, others: [res('Q', 'AWS::Kinesis::Stream'), fn()] },
    { name: 'function outside the template', resource: mapping, others: [queue()] },
    { name: 'timeout from a parameter', resource: mapping, others: [queue(), fn({ Timeout: { Ref: 'T' } })] },
  ],
});
