import type { StageConfig } from '../stages/stageConfig';
import { findAcknowledgement } from './acknowledgements';
import { stackyardCorePack } from './packs/stackyardCore';
import type {
  AcknowledgedFinding,
  Finding,
  PolicyReport,
  RuleContext,
  RulePack,
  TemplateResource,
} from './types';

/** Thrown when something that should be a CloudFormation template is not. */
export class NotATemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotATemplateError';
  }
}

/** Options of {@link evaluateTemplate}. */
export interface EvaluateTemplateOptions {
  /** The stack's display name used in findings, e.g. `wo-42-dev`. */
  readonly stack: string;
  /** The stage whose rules apply. */
  readonly stage: StageConfig;
  /**
   * The stack's construct path (hierarchical ID), stripped from resource
   * paths so they read relative to the stack.
   *
   * @default - the first segment of each resource path is stripped
   */
  readonly stackPath?: string;
  /**
   * Construct paths by logical ID, for templates synthesized without
   * `aws:cdk:path` metadata.
   *
   * @default - paths come from each resource's `aws:cdk:path` metadata
   */
  readonly constructPaths?: ReadonlyMap<string, string>;
  /**
   * The rule packs to apply.
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The resources of a template; throws {@link NotATemplateError} when it has none. */
export function templateResources(template: unknown): TemplateResource[] {
  const resources = asObject(template).Resources;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new NotATemplateError(
      'not a CloudFormation template: it has no "Resources" object',
    );
  }
  return Object.entries(resources as Record<string, unknown>).map(
    ([logicalId, raw]) => {
      const r = asObject(raw);
      if (typeof r.Type !== 'string') {
        throw new NotATemplateError(
          `not a CloudFormation template: resource ${JSON.stringify(
            logicalId,
          )} has no "Type"`,
        );
      }
      return {
        logicalId,
        type: r.Type,
        properties: asObject(r.Properties),
        deletionPolicy:
          typeof r.DeletionPolicy === 'string' ? r.DeletionPolicy : undefined,
        updateReplacePolicy:
          typeof r.UpdateReplacePolicy === 'string'
            ? r.UpdateReplacePolicy
            : undefined,
        metadata: asObject(r.Metadata),
      };
    },
  );
}

function relativePath(
  resource: TemplateResource,
  stackPath: string | undefined,
  constructPaths: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const recorded = resource.metadata['aws:cdk:path'];
  const full =
    typeof recorded === 'string' ? recorded : constructPaths?.get(resource.logicalId);
  if (typeof full !== 'string') {
    return undefined;
  }
  if (stackPath !== undefined) {
    return full.startsWith(`${stackPath}/`)
      ? full.slice(stackPath.length + 1)
      : full;
  }
  const slash = full.indexOf('/');
  return slash === -1 ? full : full.slice(slash + 1);
}

/**
 * Applies rule packs to every resource of one template. Findings that the
 * resource's metadata acknowledges with a reason are reported separately.
 */
export function evaluateTemplate(
  template: unknown,
  options: EvaluateTemplateOptions,
): PolicyReport {
  const resources = templateResources(template);
  const byId = new Map(resources.map(r => [r.logicalId, r]));
  const context: RuleContext = {
    stage: options.stage,
    resources,
    resource: id => byId.get(id),
  };
  const findings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const packs = options.packs ?? [stackyardCorePack];
  for (const resource of resources) {
    for (const rule of packs.flatMap(p => p.rules)) {
      const result = rule.evaluate(resource, context);
      if (result.status !== 'non-compliant') {
        continue;
      }
      const path = relativePath(resource, options.stackPath, options.constructPaths);
      const finding: Finding = {
        ruleId: rule.id,
        stack: options.stack,
        logicalId: resource.logicalId,
        ...(path !== undefined ? { path } : {}),
        resourceType: resource.type,
        message: result.message,
      };
      const ack = findAcknowledgement(resource.metadata, rule.id);
      if (ack) {
        acknowledged.push({ ...finding, reason: ack.reason });
      } else {
        findings.push(finding);
      }
    }
  }
  return { findings, acknowledged };
}

/** Renders a finding as `<RULE-ID> <stack>/<path or logical id>: <message>`. */
export function formatFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.stack}/${
    finding.path ?? finding.logicalId
  }: ${finding.message}`;
}
