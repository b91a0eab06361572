import type { StageConfig } from '../stages/stageConfig';

/** One resource of a CloudFormation template, as a rule sees it. */
export interface TemplateResource {
  /** The resource's logical ID. */
  readonly logicalId: string;
  /** The resource type, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  /** The resource's properties (empty when the template has none). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The resource's `DeletionPolicy`, when set. */
  readonly deletionPolicy?: string;
  /** The resource's `UpdateReplacePolicy`, when set. */
  readonly updateReplacePolicy?: string;
  /** The resource's `Metadata`. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * What a rule may read besides the resource it judges: the stage and, read
 * only, the other resources of the same template (to follow references such
 * as an event source mapping's queue and function).
 */
export interface RuleContext {
  /** The stage the template is meant for. */
  readonly stage: StageConfig;
  /** Another resource of the same template, by logical ID. */
  resource(logicalId: string): TemplateResource | undefined;
  /** Every resource of the same template. */
  readonly resources: readonly TemplateResource[];
}

/** The outcome of one rule on one resource. */
export type RuleResult =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'non-compliant'; readonly message: string };

/** How a rule's findings count. */
export type RuleSeverity = 'error' | 'warning';

/**
 * A safety rule: a pure function of one CloudFormation resource (and the
 * read-only {@link RuleContext}).
 */
export interface PolicyRule {
  /** The rule's ID, e.g. `SY-LAMBDA-TIMEOUT`. */
  readonly id: string;
  /** What the rule requires, in one sentence. */
  readonly description: string;
  /**
   * How a finding counts: an `error` fails synth and deploy unless
   * acknowledged; a `warning` is reported and never fails. Default `error`,
   * so rule packs written before severities existed keep failing synth.
   */
  readonly severity?: RuleSeverity;
  /** Judges one resource. */
  evaluate(resource: TemplateResource, context: RuleContext): RuleResult;
}

/** A named set of rules applied together. */
export interface RulePack {
  /** The pack's name. */
  readonly name: string;
  /** The rules of the pack. */
  readonly rules: readonly PolicyRule[];
}

/** One rule's non-compliant verdict on one resource. */
export interface Finding {
  /** The rule's ID. */
  readonly ruleId: string;
  /** The stack's display name (its stack name, or the template's name). */
  readonly stack: string;
  /** The resource's logical ID. */
  readonly logicalId: string;
  /** The resource's construct path inside its stack, when known. */
  readonly path?: string;
  /** The resource type. */
  readonly resourceType: string;
  /** What is wrong, quoting the bad value. */
  readonly message: string;
}

/** A finding that an acknowledgement in the template accepts. */
export interface AcknowledgedFinding extends Finding {
  /** Why the finding is accepted, as written in the template. */
  readonly reason: string;
  /** The day the acknowledgement expires (`YYYY-MM-DD`), when it does. */
  readonly expires?: string;
}

/** A rule that applied to a resource and found nothing wrong. */
export type PassedCheck = Omit<Finding, 'message'>;

/** The verdict of a rule pack on templates. */
export interface PolicyReport {
  /**
   * Findings that fail the check: those of `error` rules that no
   * acknowledgement accepts (an expired one no longer does).
   */
  readonly findings: readonly Finding[];
  /**
   * Findings reported that never fail: those of `warning` rules, and
   * unused acknowledgements (`SY-ACK-UNUSED`).
   */
  readonly warnings: readonly Finding[];
  /** Findings accepted by an acknowledgement with a reason. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Every rule that applied to a resource and passed. */
  readonly passed: readonly PassedCheck[];
}

/** A rule's severity, `error` when it sets none. */
export function severityOf(rule: Pick<PolicyRule, 'severity'>): RuleSeverity {
  return rule.severity ?? 'error';
}

export const compliant: RuleResult = { status: 'compliant' };
export const notApplicable: RuleResult = { status: 'not-applicable' };
export function nonCompliant(message: string): RuleResult {
  return { status: 'non-compliant', message };
}
