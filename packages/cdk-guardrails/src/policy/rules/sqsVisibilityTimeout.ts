import { literalNumber, referencedLogicalId } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** Visibility timeout per second of consumer timeout. */
export const VISIBILITY_FACTOR = 6;
/** CloudFormation defaults when the properties are absent. */
const DEFAULT_VISIBILITY_SECONDS = 30;
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

/**
 * A queue consumed by a function must hide messages long enough for the
 * function's retries. Judged on the event source mapping that wires them.
 */
export const sqsVisibilityTimeout: PolicyRule = {
  id: 'SY-SQS-VISIBILITY',
  severity: 'error',
  description: `SQS queues consumed by a function have a visibility timeout of at least ${VISIBILITY_FACTOR}× the function timeout`,
  evaluate(resource, context) {
    if (resource.type !== 'AWS::Lambda::EventSourceMapping') {
      return notApplicable;
    }
    const queueId = referencedLogicalId(resource.properties.EventSourceArn);
    const functionId = referencedLogicalId(resource.properties.FunctionName);
    const queue = queueId ? context.resource(queueId) : undefined;
    const fn = functionId ? context.resource(functionId) : undefined;
    if (queue?.type !== 'AWS::SQS::Queue' || fn?.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    const visibility =
      queue.properties.VisibilityTimeout === undefined
        ? DEFAULT_VISIBILITY_SECONDS
        : literalNumber(queue.properties.VisibilityTimeout);
    const timeout =
      fn.properties.Timeout === undefined
        ? DEFAULT_FUNCTION_TIMEOUT_SECONDS
        : literalNumber(fn.properties.Timeout);
    if (visibility === undefined || timeout === undefined) {
      return notApplicable;
    }
    if (visibility < VISIBILITY_FACTOR * timeout) {
      return nonCompliant(
        `queue ${queue.logicalId} has a visibility timeout of ${visibility} s but its consumer ${fn.logicalId} times out after ${timeout} s: it must be at least ${
          VISIBILITY_FACTOR * timeout
        } s (${VISIBILITY_FACTOR}×)`,
      );
    }
    return compliant;
  },
};
