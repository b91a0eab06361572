import type { StageConfig } from '../stages/stageConfig';
import {
  AcknowledgementEntry,
  acknowledgementEntries,
  acknowledgementVerdict,
  findAcknowledgement,
  utcDay,
} from './acknowledgements';
import { UNUSED_ACKNOWLEDGEMENT_RULE_ID } from './metaRules';
import { stackyardCorePack } from './packs/stackyardCore';
import {
  AcknowledgedFinding,
  Finding,
  PassedCheck,
  PolicyReport,
  RuleContext,
  RulePack,
  TemplateResource,
  severityOf,
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
  /**
   * The time acknowledgements' expiry dates are compared with (its UTC day).
   *
   * @default - now
   */
  readonly now?: Date;
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

type Where = Omit<Finding, 'ruleId' | 'message'>;

/**
 * Which acknowledgements accepted a finding. The resources one
 * `acknowledgeRule` call wrote (same rule and scope) count as one
 * acknowledgement; one without a scope counts per resource.
 */
class AcknowledgementUse {
  private readonly groups = new Map<
    string,
    { entry: AcknowledgementEntry; where: Where; resources: Set<string>; used: boolean }
  >();

  private key(resource: TemplateResource, entry: AcknowledgementEntry): string {
    return JSON.stringify([entry.rule, entry.scope ?? `resource:${resource.logicalId}`]);
  }

  declare(resource: TemplateResource, where: Where, entries: readonly AcknowledgementEntry[]) {
    for (const entry of entries) {
      const key = this.key(resource, entry);
      const group = this.groups.get(key) ?? { entry, where, resources: new Set(), used: false };
      group.resources.add(resource.logicalId);
      this.groups.set(key, group);
    }
  }

  use(resource: TemplateResource, ruleId: string) {
    for (const entry of acknowledgementEntries(resource.metadata)) {
      if (entry.rule === ruleId) {
        const group = this.groups.get(this.key(resource, entry));
        if (group) group.used = true;
      }
    }
  }

  unused(stackPath: string | undefined): Finding[] {
    return [...this.groups.values()]
      .filter(g => !g.used)
      .map(({ entry, where, resources }) => {
        const scope = entry.scope !== undefined ? relativeScope(entry.scope, stackPath) : undefined;
        return {
          ruleId: UNUSED_ACKNOWLEDGEMENT_RULE_ID,
          ...where,
          ...(scope !== undefined ? { path: scope } : {}),
          message: `the acknowledgement of ${entry.rule} (reason: ${JSON.stringify(
            entry.reason,
          )}) accepts no finding on ${
            resources.size === 1 ? 'this resource' : `any of its ${resources.size} resources`
          }: remove it`,
        };
      });
  }
}

/** A scope's construct path relative to its stack; undefined for the stack itself. */
function relativeScope(scope: string, stackPath: string | undefined): string | undefined {
  if (stackPath !== undefined) {
    if (scope === stackPath) return undefined;
    return scope.startsWith(`${stackPath}/`) ? scope.slice(stackPath.length + 1) : scope;
  }
  const slash = scope.indexOf('/');
  return slash === -1 ? undefined : scope.slice(slash + 1);
}

/**
 * Applies rule packs to every resource of one template. Findings of `error`
 * rules fail unless the resource's metadata acknowledges them with a reason
 * (and the acknowledgement has not expired); findings of `warning` rules and
 * unused acknowledgements are reported as warnings.
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
  const today = utcDay(options.now ?? new Date());
  const findings: Finding[] = [];
  const warnings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const passed: PassedCheck[] = [];
  const rules = (options.packs ?? [stackyardCorePack]).flatMap(p => p.rules);
  const acknowledgements = new AcknowledgementUse();
  for (const resource of resources) {
    const path = relativePath(resource, options.stackPath, options.constructPaths);
    const where = {
      stack: options.stack,
      logicalId: resource.logicalId,
      ...(path !== undefined ? { path } : {}),
      resourceType: resource.type,
    };
    const entries = acknowledgementEntries(resource.metadata);
    acknowledgements.declare(resource, where, entries);
    for (const rule of rules) {
      const result = rule.evaluate(resource, context);
      if (result.status === 'compliant') {
        passed.push({ ruleId: rule.id, ...where });
      }
      if (result.status !== 'non-compliant') {
        continue;
      }
      acknowledgements.use(resource, rule.id);
      const finding: Finding = { ruleId: rule.id, ...where, message: result.message };
      const ack = findAcknowledgement(resource.metadata, rule.id);
      const verdict = ack ? acknowledgementVerdict(ack, today) : undefined;
      if (ack && verdict?.accepts) {
        acknowledged.push({
          ...finding,
          reason: ack.reason,
          ...(ack.expires !== undefined ? { expires: ack.expires } : {}),
        });
      } else if (severityOf(rule) === 'warning') {
        warnings.push(finding);
      } else {
        findings.push(
          verdict && !verdict.accepts
            ? { ...finding, message: `${finding.message}; ${verdict.problem}` }
            : finding,
        );
      }
    }
  }
  warnings.push(...acknowledgements.unused(options.stackPath));
  return { findings, warnings, acknowledged, passed };
}

/** Renders a finding as `<RULE-ID> <stack>/<path or logical id>: <message>`. */
export function formatFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.stack}/${
    finding.path ?? finding.logicalId
  }: ${finding.message}`;
}
