import { referencedLogicalId } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

function hasOnFailureDestination(
  functionId: string,
  resources: readonly { type: string; properties: Readonly<Record<string, unknown>> }[],
): boolean {
  return resources.some(r => {
    if (r.type !== 'AWS::Lambda::EventInvokeConfig') {
      return false;
    }
    const target = r.properties.FunctionName;
    if (referencedLogicalId(target) !== functionId && target !== functionId) {
      return false;
    }
    const destination = (r.properties.DestinationConfig as any)?.OnFailure
      ?.Destination;
    return destination !== undefined && destination !== null;
  });
}

/** Failed asynchronous invocations must land somewhere. */
export const lambdaDeadLetter: PolicyRule = {
  id: 'SY-LAMBDA-DLQ',
  severity: 'error',
  description:
    'Lambda functions have a dead-letter queue or an on-failure destination for asynchronous invocations',
  evaluate(resource, context) {
    if (resource.type !== 'AWS::Lambda::Function') {
      return notApplicable;
    }
    const target = (resource.properties.DeadLetterConfig as any)?.TargetArn;
    if (target !== undefined && target !== null && target !== '') {
      return compliant;
    }
    if (hasOnFailureDestination(resource.logicalId, context.resources)) {
      return compliant;
    }
    return nonCompliant(
      'no DeadLetterConfig.TargetArn and no on-failure destination: failed asynchronous invocations would be lost',
    );
  },
};
