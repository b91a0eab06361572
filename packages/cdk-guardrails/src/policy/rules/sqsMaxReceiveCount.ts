import { literalNumber, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';
import { redrivePolicyOf } from './sqsRedrive';

/** The most receives a message may get before it is dead-lettered. */
export const MAX_RECEIVE_COUNT = 5;

/** Poison messages must reach the dead-letter queue quickly. */
export const sqsMaxReceiveCount: PolicyRule = {
  id: 'SY-SQS-MAX-RECEIVE',
  severity: 'error',
  description: `SQS redrive policies set maxReceiveCount to at most ${MAX_RECEIVE_COUNT}`,
  evaluate(resource) {
    if (resource.type !== 'AWS::SQS::Queue') {
      return notApplicable;
    }
    const redrive = redrivePolicyOf(resource);
    if (!redrive) {
      return notApplicable;
    }
    const count = literalNumber(redrive.maxReceiveCount);
    if (count === undefined || count > MAX_RECEIVE_COUNT || count < 1) {
      return nonCompliant(
        `RedrivePolicy.maxReceiveCount is ${show(
          redrive.maxReceiveCount,
        )}: it must be a number from 1 to ${MAX_RECEIVE_COUNT}`,
      );
    }
    return compliant;
  },
};
