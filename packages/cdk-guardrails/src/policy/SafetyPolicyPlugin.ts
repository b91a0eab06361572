import { readFileSync } from 'fs';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StageConfig } from '../stages/stageConfig';
import { evaluateTemplate } from './evaluateTemplate';
import { stageOfTemplate } from './templateStage';
import type { AcknowledgedFinding, Finding, PassedCheck, RulePack } from './types';
import { stackyardCorePack } from './packs/stackyardCore';
import { META_RULES } from './metaRules';

function findStack(app: IConstruct, path: string): Stack | undefined {
  let node: IConstruct | undefined = app;
  for (const id of path.split('/')) {
    node = node?.node.tryFindChild(id);
  }
  return node && Stack.isStack(node) ? node : undefined;
}

/** Construct paths of a stack's resources by logical ID. */
function constructPaths(stack: Stack | undefined): Map<string, string> {
  const paths = new Map<string, string>();
  for (const node of stack?.node.findAll() ?? []) {
    if (CfnResource.isCfnResource(node) && Stack.of(node) === stack) {
      paths.set(stack.resolve(node.logicalId), node.node.path);
    }
  }
  return paths;
}

/** Properties of {@link SafetyPolicyPlugin}. */
export interface SafetyPolicyPluginProps {
  /**
   * The stage whose rules apply to every stack.
   *
   * @default - each template's recorded stage; production rules when none
   */
  readonly stage?: StageConfig;
  /**
   * The rule packs to apply.
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
}

/**
 * Runs the safety policy in-process during synthesis, as an aws-cdk-lib
 * policy validation plugin: every stack of the app, including stacks nested
 * in a `Stage`, whether built with the safe constructs or raw L1/L2 ones.
 * A non-compliant resource fails synthesis unless its rule is a `warning`
 * (kept in `warnings`, never a violation) or the finding is acknowledged.
 * The plugin keeps the findings of
 * its last run for callers that synthesize in-process.
 */
export class SafetyPolicyPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in validation reports. */
  readonly name = 'stackyard-safety-policy';
  /** The plugin's version. */
  readonly version = '0.1.0';
  /** The IDs of the rules the plugin applies. */
  readonly ruleIds: string[];

  private readonly stage?: StageConfig;
  private readonly packs: readonly RulePack[];
  private lastFindings: Finding[] = [];
  private lastWarnings: Finding[] = [];
  private lastAcknowledged: AcknowledgedFinding[] = [];
  private lastPassed: PassedCheck[] = [];
  private lastError?: Error;
  private validated = 0;

  constructor(props: SafetyPolicyPluginProps = {}) {
    this.stage = props.stage;
    this.packs = props.packs ?? [stackyardCorePack];
    this.ruleIds = this.packs.flatMap(p => p.rules.map(r => r.id));
  }

  /** Findings of the last synthesis. */
  get findings(): readonly Finding[] {
    return this.lastFindings;
  }

  /** Warnings of the last synthesis: they never fail it. */
  get warnings(): readonly Finding[] {
    return this.lastWarnings;
  }

  /** Acknowledged findings of the last synthesis. */
  get acknowledged(): readonly AcknowledgedFinding[] {
    return this.lastAcknowledged;
  }

  /** The checks that passed in the last synthesis. */
  get passed(): readonly PassedCheck[] {
    return this.lastPassed;
  }

  /** How many times the plugin has run. */
  get runs(): number {
    return this.validated;
  }

  /** The error of the last run, if it failed to evaluate a template. */
  get error(): Error | undefined {
    return this.lastError;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.validated += 1;
    this.lastError = undefined;
    try {
      return this.evaluate(context);
    } catch (e) {
      this.lastError = e instanceof Error ? e : new Error(String(e));
      throw e;
    }
  }

  private evaluate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const findings: Finding[] = [];
    const warnings: Finding[] = [];
    const acknowledged: AcknowledgedFinding[] = [];
    const passed: PassedCheck[] = [];
    const byRule = new Map<string, PolicyViolation>();
    for (const stack of context.stackTemplates) {
      const template = JSON.parse(readFileSync(stack.templatePath, 'utf8'));
      const owner = findStack(context.appConstruct, stack.stackConstructPath);
      const report = evaluateTemplate(template, {
        stack: owner?.stackName ?? stack.stackConstructPath,
        constructPaths: constructPaths(owner),
        stackPath: stack.stackConstructPath,
        stage: this.stage ?? stageOfTemplate(template),
        packs: this.packs,
      });
      findings.push(...report.findings);
      warnings.push(...report.warnings);
      acknowledged.push(...report.acknowledged);
      passed.push(...report.passed);
      // Warnings stay out of aws-cdk-lib's validation report, which would
      // print them on every synthesis: callers read `warnings`.
      for (const finding of report.findings) {
        const violation = byRule.get(finding.ruleId) ?? {
          ruleName: finding.ruleId,
          description: this.describe(finding.ruleId),
          severity: 'error',
          violatingResources: [],
        };
        (violation.violatingResources as any[]).push({
          resourceLogicalId: finding.logicalId,
          templatePath: stack.templatePath,
          locations: [finding.message],
        });
        byRule.set(finding.ruleId, violation);
      }
    }
    this.lastFindings = findings;
    this.lastWarnings = warnings;
    this.lastAcknowledged = acknowledged;
    this.lastPassed = passed;
    return { success: findings.length === 0, violations: [...byRule.values()] };
  }

  private describe(ruleId: string): string {
    return (
      [...this.packs.flatMap(p => p.rules), ...META_RULES].find(r => r.id === ruleId)
        ?.description ?? ruleId
    );
  }
}
