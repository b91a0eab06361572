import { PolicyRule, TemplateResource, compliant, nonCompliant, notApplicable } from '../types';

const BUDGET = 'AWS::Budgets::Budget';

/**
 * The resource a template-wide verdict is given on: the budget when there
 * is one (its check passes there), else the template's first resource other
 * than CDK's metadata, so the warning appears once per stack. An
 * acknowledgement of the stack reaches it.
 */
function anchorOf(resources: readonly TemplateResource[]): TemplateResource | undefined {
  return resources.find(r => r.type === BUDGET) ?? resources.find(r => r.type !== 'AWS::CDK::Metadata');
}

/** Production stacks have a monthly cost budget that alerts someone. */
export const budgetInProduction: PolicyRule = {
  id: 'SY-BUDGET-PRODUCTION',
  severity: 'warning',
  description: 'In production, a stack has a cost budget (AWS::Budgets::Budget) that alerts before its spend surprises anyone',
  evaluate(resource, context) {
    if (!context.stage.production || anchorOf(context.resources)?.logicalId !== resource.logicalId) {
      return notApplicable;
    }
    if (resource.type === BUDGET) {
      return compliant;
    }
    const stage = context.stage.name;
    return nonCompliant(
      `the stack of production stage "${stage}" has no ${BUDGET}, so nobody hears of its spend until the bill: give the stage a budget in stackyard.yaml (stages.${stage}.budget.monthlyUsd) or add a ServiceBudget`,
    );
  },
};
