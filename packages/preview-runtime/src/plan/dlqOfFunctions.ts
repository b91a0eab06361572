import type { PreviewPlan } from './types';

/**
 * The functions whose failed asynchronous invocations go to `queue` (their
 * DeadLetterConfig), as a field of the queue's depth; none, no field.
 * Its own file: the runner imports it, and not the plan builder's parsers.
 */
export function dlqOfFunctions(
  plan: Pick<PreviewPlan, 'functions'>,
  queue: string,
): { dlqOfFunctions?: string[] } {
  const functions = plan.functions
    .filter(f => f.deadLetterQueue === queue)
    .map(f => f.name);
  return functions.length > 0 ? { dlqOfFunctions: functions } : {};
}
