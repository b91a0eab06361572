import { referencedLogicalId } from '../intrinsics';
import type { RuleContext, TemplateResource } from '../types';

/** A queue's redrive policy as an object (templates may hold it as a JSON string). */
export function redrivePolicyOf(
  queue: TemplateResource,
): Record<string, unknown> | undefined {
  const raw = queue.properties.RedrivePolicy;
  if (typeof raw === 'string') {
    try {
      const parsed = JSON.parse(raw);
      return parsed && typeof parsed === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
}

function pointsAt(value: unknown, logicalId: string): boolean {
  return referencedLogicalId(value) === logicalId;
}

/**
 * True when the queue is itself a dead-letter target: another queue's redrive
 * policy, a function's DeadLetterConfig or an on-failure destination uses it.
 */
export function isDeadLetterTarget(
  queueId: string,
  context: RuleContext,
): boolean {
  return context.resources.some(r => {
    const p = r.properties as any;
    switch (r.type) {
      case 'AWS::SQS::Queue':
        return pointsAt(redrivePolicyOf(r)?.deadLetterTargetArn, queueId);
      case 'AWS::Lambda::Function':
        return pointsAt(p.DeadLetterConfig?.TargetArn, queueId);
      case 'AWS::Lambda::EventInvokeConfig':
        return pointsAt(p.DestinationConfig?.OnFailure?.Destination, queueId);
      case 'AWS::Lambda::EventSourceMapping':
        return pointsAt(p.DestinationConfig?.OnFailure?.Destination, queueId);
      default:
        return false;
    }
  });
}
