import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SafeQueue } from './SafeQueue';
import { testFunction, testStack } from './testing';

describe('SafeQueue', () => {
  const stack = testStack();
  const consumer = testFunction(stack, 'Consumer', { timeout: Duration.seconds(20) });
  const queue = new SafeQueue(stack, 'Jobs', { consumer });
  const plain = new SafeQueue(stack, 'Plain', { maxReceiveCount: 5 });
  const template = Template.fromStack(stack);

  it('creates a dead-letter queue with maxReceiveCount 3 by default', () => {
    const resolved = stack.resolve((queue.queue.node.defaultChild as any).redrivePolicy);
    expect(resolved).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [stack.resolve((queue.deadLetterQueue.node.defaultChild as any).logicalId), 'Arn'] },
      maxReceiveCount: 3,
    });
    expect(stack.resolve((plain.queue.node.defaultChild as any).redrivePolicy).maxReceiveCount).toBe(5);
  });

  it("raises the visibility timeout to 6× the consumer's timeout and wires the consumer", () => {
    expect(queue.visibilityTimeout.toSeconds()).toBe(120);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(plain.visibilityTimeout.toSeconds()).toBe(30);
  });

  it('enforces SSL on every queue', () => {
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(5);
  });

  it('rejects a visibility timeout shorter than 6× the consumer timeout', () => {
    const s = testStack();
    const fn = testFunction(s, 'Fn', { timeout: Duration.seconds(30) });
    expect(() => new SafeQueue(s, 'Q', { consumer: fn, visibilityTimeout: Duration.seconds(60) })).toThrow(
      '[Svc/Q] visibilityTimeout 1 minute is too short for consumer Svc/Fn with timeout 30 seconds: it must be at least 180 seconds (6×)',
    );
  });

  it.each([[{ maxReceiveCount: 6 }, /maxReceiveCount 6 is not allowed: an integer from 1 to 5/], [{ batchSize: 11 }, /batchSize 11/]])(
    'rejects %o',
    (props, message) => {
      expect(() => new SafeQueue(testStack(), 'Q', props)).toThrow(message);
    },
  );
});
