import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { isDeadLetterTarget, redrivePolicyOf } from './sqsRedrive';

/** Queues must send poison messages to a dead-letter queue. */
export const sqsDeadLetterQueue: PolicyRule = {
  id: 'SY-SQS-DLQ',
  severity: 'error',
  description: 'SQS queues have a dead-letter queue (queues that are dead-letter targets are exempt)',
  evaluate(resource, context) {
    if (resource.type !== 'AWS::SQS::Queue') {
      return notApplicable;
    }
    if (isDeadLetterTarget(resource.logicalId, context)) {
      return notApplicable;
    }
    const target = redrivePolicyOf(resource)?.deadLetterTargetArn;
    if (target === undefined || target === null || target === '') {
      return nonCompliant(
        'no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire',
      );
    }
    return compliant;
  },
};
