/* eslint-disable jest/no-export, jest/valid-title, jest/no-conditional-expect */
// The shared test harness of the rules: imported by every rule's test file.
import { resolveStageConfig } from '../stages/stageConfig';
import type { PolicyRule, RuleContext, RuleResult, TemplateResource } from './types';

/** A resource for rule tests. */
export function res(
  logicalId: string,
  type: string,
  properties: Record<string, unknown> = {},
  extra: Partial<Omit<TemplateResource, 'logicalId' | 'type' | 'properties'>> = {},
): TemplateResource {
  return { logicalId, type, properties, metadata: {}, ...extra };
}

/** One case of a rule test: the resource judged, its neighbours and the stage. */
export interface RuleCase {
  /** What the case shows. */
  readonly name: string;
  /** The resource judged. */
  readonly resource: TemplateResource;
  /** Other resources of the same template. */
  readonly others?: readonly TemplateResource[];
  /** The stage (built-in name). Default `prod`. */
  readonly stage?: string;
  /** For non-compliant cases: a pattern the message must match. */
  readonly message?: RegExp;
}

/** Judges one resource with a rule, as evaluateTemplate would. */
export function judge(rule: PolicyRule, c: RuleCase): RuleResult {
  const resources = [c.resource, ...(c.others ?? [])];
  const byId = new Map(resources.map(r => [r.logicalId, r]));
  const context: RuleContext = {
    stage: resolveStageConfig(c.stage ?? 'prod'),
    resources,
    resource: id => byId.get(id),
  };
  return rule.evaluate(c.resource, context);
}

/**
 * The shared test harness of the rules: every rule is tested with
 * compliant, non-compliant and not-applicable cases.
 */
export function describeRule(
  rule: PolicyRule,
  cases: {
    compliant: readonly RuleCase[];
    nonCompliant: readonly RuleCase[];
    notApplicable: readonly RuleCase[];
  },
): void {
  describe(rule.id, () => {
    it('has cases of every kind', () => {
      expect(cases.compliant.length).toBeGreaterThan(0);
      expect(cases.nonCompliant.length).toBeGreaterThan(0);
      expect(cases.notApplicable.length).toBeGreaterThan(0);
    });
    it.each(cases.compliant.map(c => [c.name, c] as const))('compliant: %s', (_, c) => {
      expect(judge(rule, c)).toEqual({ status: 'compliant' });
    });
    it.each(cases.nonCompliant.map(c => [c.name, c] as const))('non-compliant: %s', (_, c) => {
      const result = judge(rule, c);
      expect(result).toEqual({
        status: 'non-compliant',
        message: c.message ? expect.stringMatching(c.message) : expect.any(String),
      });
    });
    it.each(cases.notApplicable.map(c => [c.name, c] as const))('not applicable: %s', (_, c) => {
      expect(judge(rule, c)).toEqual({ status: 'not-applicable' });
    });
  });
}
