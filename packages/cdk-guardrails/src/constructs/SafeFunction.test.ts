import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { testFunction, testStack } from './testing';

describe('SafeFunction', () => {
  const stack = testStack();
  const fn = testFunction(stack, 'Worker', { memorySize: 512, reservedConcurrentExecutions: 7 });
  const template = Template.fromStack(stack);

  it('sets timeout, memory, reserved concurrency and a supported runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      MemorySize: 512,
      ReservedConcurrentExecutions: 7,
      Runtime: 'nodejs22.x',
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    expect(fn.timeout.toSeconds()).toBe(10);
  });

  it('creates a dead-letter queue and limits async retries', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });

  it("keeps logs for the stage's retention", () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it.each([
    [{ timeout: Duration.minutes(16) }, /timeout 16 minutes is not allowed: from 1 second to 15 minutes/],
    [{ memorySize: 64 }, /memorySize 64 is not allowed: an integer from 128 to 10240/],
    [{ reservedConcurrentExecutions: 0 }, /reservedConcurrentExecutions 0 is not allowed/],
    [{ runtime: lambda.Runtime.NODEJS_20_X }, /runtime "nodejs20.x" is not allowed: use nodejs22.x or newer/],
    [{ retryAttempts: 3 }, /retryAttempts 3 is not allowed/],
  ])('rejects %o with the construct path and the bad value', (props, message) => {
    expect(() => testFunction(testStack(), 'Bad', props)).toThrow(message);
    expect(() => testFunction(testStack(), 'Bad', props)).toThrow(/^\[Svc\/Bad\] invalid SafeFunction props: /);
  });
});
