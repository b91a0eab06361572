import { createHash } from 'crypto';
import { META_RULES, RuleInfo } from '../policy/metaRules';
import { stackyardCorePack } from '../policy/packs/stackyardCore';
import {
  Finding,
  PolicyReport,
  RulePack,
  severityOf,
} from '../policy/types';
import { ruleDocsUrl } from './ruleDocs';

/** Where a finding is in the repository. */
export interface SourceLocation {
  /** The file, relative to the repository root, `/`-separated. */
  readonly uri: string;
  /** The line (1-based). */
  readonly line: number;
}

/** What a report is rendered from. */
export interface ReportInput {
  /** The policy's verdict. */
  readonly report: PolicyReport;
  /**
   * The rule packs that were applied.
   *
   * @default [stackyardCorePack]
   */
  readonly packs?: readonly RulePack[];
  /** Where a finding is in the repository (SARIF locations). */
  readonly locate: (finding: Finding) => SourceLocation;
  /**
   * The stable name of a stack in fingerprints, e.g. without the
   * branch's prefix, so a finding keeps its identity across branches.
   *
   * @default - the stack name
   */
  readonly stackKey?: (stack: string) => string;
  /** Fields the JSON report carries besides the findings. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** How an entry of a report counts. */
export type EntryKind = 'failure' | 'warning' | 'acknowledged';

/** One finding of a report, with what every format needs to show it. */
export interface ReportEntry extends Finding {
  readonly kind: EntryKind;
  /** The rule's severity (an unknown rule's is `error`). */
  readonly severity: 'error' | 'warning';
  /** The rule's documentation page. */
  readonly docs: string;
  /** For acknowledged findings: why, and until when. */
  readonly reason?: string;
  readonly expires?: string;
}

/** Every rule a report may name: the packs' and the policy's own. */
export function ruleCatalog(packs: readonly RulePack[] = [stackyardCorePack]): RuleInfo[] {
  const rules = new Map<string, RuleInfo>();
  for (const rule of [...packs.flatMap(p => p.rules), ...META_RULES]) {
    if (!rules.has(rule.id)) {
      rules.set(rule.id, {
        id: rule.id,
        description: rule.description,
        severity: severityOf(rule),
      });
    }
  }
  return [...rules.values()];
}

/** The findings of a report, failures first, then warnings, then acknowledged ones. */
export function reportEntries(input: ReportInput): ReportEntry[] {
  const severities = new Map(ruleCatalog(input.packs).map(r => [r.id, r.severity]));
  const entry = (f: Finding, kind: EntryKind): ReportEntry => ({
    ...f,
    kind,
    severity: severities.get(f.ruleId) ?? 'error',
    docs: ruleDocsUrl(f.ruleId),
  });
  return [
    ...input.report.findings.map(f => entry(f, 'failure')),
    ...input.report.warnings.map(f => entry(f, 'warning')),
    ...input.report.acknowledged.map(a => ({
      ...entry(a, 'acknowledged'),
      reason: a.reason,
      ...(a.expires !== undefined ? { expires: a.expires } : {}),
    })),
  ];
}

/** Where a finding is, `<stack>/<construct path or logical id>`. */
export function resourceName(f: Pick<Finding, 'stack' | 'path' | 'logicalId'>): string {
  return `${f.stack}/${f.path ?? f.logicalId}`;
}

/**
 * A fingerprint of a finding that stays the same across runs and branches:
 * rule, stack key and construct path (logical ID without one); never the
 * message, which quotes values that change.
 */
export function fingerprintOf(f: Finding, stackKey: (stack: string) => string = s => s): string {
  return createHash('sha256')
    .update(JSON.stringify([f.ruleId, stackKey(f.stack), f.path ?? f.logicalId]))
    .digest('hex')
    .slice(0, 32);
}
