import {
  ANNOTATION_RULE_ID,
  Finding,
  RulePack,
  stackyardCorePack,
} from '@stackyard/cdk-guardrails';

/** How to fix a finding of each rule, in terms of the service's code. */
const FIX_HINTS: Readonly<Record<string, string>> = {
  'SY-LAMBDA-CONCURRENCY':
    'set `reservedConcurrency` on the function in stackyard.yaml (or use SafeFunction)',
  'SY-LAMBDA-TIMEOUT':
    'set `timeout` (seconds) on the function in stackyard.yaml',
  'SY-LAMBDA-MEMORY': 'set `memorySize` (MB) on the function in stackyard.yaml',
  'SY-LAMBDA-DLQ':
    'build the function with SafeFunction, which gives it a dead-letter queue',
  'SY-LAMBDA-RUNTIME':
    'remove `runtime` from the function in stackyard.yaml to get the default, or choose nodejs22.x or newer',
  'SY-SQS-DLQ':
    'declare the queue in stackyard.yaml or build it with SafeQueue, which adds a dead-letter queue',
  'SY-SQS-MAX-RECEIVE':
    'lower `maxReceiveCount` of the queue in stackyard.yaml',
  'SY-SQS-VISIBILITY':
    "raise the queue's `visibilityTimeout` or lower its consumer's `timeout` in stackyard.yaml",
  'SY-DDB-PITR':
    'build the table with SafeTable (declare it in stackyard.yaml), which turns point-in-time recovery on',
  'SY-DDB-DELETION-PROTECTION':
    'build the table with SafeTable, which protects tables outside ephemeral stages',
  'SY-DDB-RETAIN':
    'build the table with SafeTable, which retains tables in production stages',
  'SY-TAGS':
    'build the stack with ServiceStack and fill `service.project`, `service.costCenter` and `service.owner` in stackyard.yaml',
  [ANNOTATION_RULE_ID]: 'fix the error reported by the construct at this path',
};

/** The fix hint of a finding: the rule's own hint, or what the rule requires. */
export function fixHintOf(
  finding: Finding,
  packs: readonly RulePack[] = [stackyardCorePack],
): string {
  const hint = FIX_HINTS[finding.ruleId];
  if (hint) return hint;
  const rule = packs.flatMap(p => p.rules).find(r => r.id === finding.ruleId);
  return rule
    ? `required: ${rule.description}`
    : "see the rule's documentation";
}

/** A finding as reported by the actions: rule, construct path and fix hint. */
export interface ReportedFinding {
  readonly rule: string;
  readonly stack: string;
  readonly path: string;
  readonly resourceType: string;
  readonly message: string;
  readonly fix: string;
}

/** Converts policy findings to {@link ReportedFinding}s. */
export function reportFindings(
  findings: readonly Finding[],
  packs?: readonly RulePack[],
): ReportedFinding[] {
  return findings.map(f => ({
    rule: f.ruleId,
    stack: f.stack,
    path: f.path ?? f.logicalId,
    resourceType: f.resourceType,
    message: f.message,
    fix: fixHintOf(f, packs),
  }));
}

/** One line per finding: `RULE stack/path: message (fix: hint)`. */
export function formatReportedFinding(f: ReportedFinding): string {
  return `${f.rule} ${f.stack}/${f.path}: ${f.message} (fix: ${f.fix})`;
}
