import type { RuleSeverity } from './types';

/** What a report says about a rule: its ID, requirement and severity. */
export interface RuleInfo {
  readonly id: string;
  readonly description: string;
  readonly severity: RuleSeverity;
}

/** Rule ID of an acknowledgement that accepts no finding. */
export const UNUSED_ACKNOWLEDGEMENT_RULE_ID = 'SY-ACK-UNUSED';

/** Rule ID of findings that are construct annotations of level error. */
export const ANNOTATION_RULE_ID = 'CDK-ANNOTATION';

/** Rule ID of a sandboxed synthesis that did not produce the service's stack. */
export const SANDBOX_RULE_ID = 'SY-SANDBOX';

/**
 * Findings that no rule pack produces: the policy's own checks of
 * acknowledgements and of the synthesis. Reports describe and link them
 * like the rules of the packs.
 */
export const META_RULES: readonly RuleInfo[] = [
  {
    id: UNUSED_ACKNOWLEDGEMENT_RULE_ID,
    description:
      'Every acknowledgement accepts at least one finding of its rule under the construct it was given',
    severity: 'warning',
  },
  {
    id: ANNOTATION_RULE_ID,
    description: 'No construct reports an error while the app is synthesized',
    severity: 'error',
  },
  {
    id: SANDBOX_RULE_ID,
    description:
      "A sandboxed synthesis produces the service's stack",
    severity: 'error',
  },
];
