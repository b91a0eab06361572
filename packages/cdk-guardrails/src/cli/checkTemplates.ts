import { NotATemplateError, evaluateTemplate } from '../policy/evaluateTemplate';
import { stageOfTemplate } from '../policy/templateStage';
import type { AcknowledgedFinding, Finding, PassedCheck, PolicyReport, RulePack } from '../policy/types';
import type { StageConfig } from '../stages/stageConfig';
import { BadInputError, TemplateInput } from './readTemplates';

/**
 * Runs the policy over already-read templates. Each template is judged by
 * `stage` when given, else by the stage it records (production when none).
 */
export function checkTemplates(
  inputs: readonly TemplateInput[],
  options: { stage?: StageConfig; packs?: readonly RulePack[] } = {},
): PolicyReport {
  const findings: Finding[] = [];
  const warnings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const passed: PassedCheck[] = [];
  for (const input of inputs) {
    try {
      const report = evaluateTemplate(input.template, {
        stack: input.stack,
        stackPath: input.stackPath,
        stage: options.stage ?? stageOfTemplate(input.template),
        packs: options.packs,
      });
      findings.push(...report.findings);
      warnings.push(...report.warnings);
      acknowledged.push(...report.acknowledged);
      passed.push(...report.passed);
    } catch (e) {
      if (e instanceof NotATemplateError) {
        throw new BadInputError(`${JSON.stringify(input.source)} is ${e.message}`);
      }
      throw e;
    }
  }
  return { findings, warnings, acknowledged, passed };
}
