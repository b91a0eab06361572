import { readFileSync } from 'fs';
import { resolve } from 'path';
import { packageRoot } from '../packageRoot';
import { ReportInput, fingerprintOf, reportEntries, resourceName, ruleCatalog } from './reportInput';
import { readRuleDoc, ruleDocsUrl } from './ruleDocs';

/** The SARIF version written, and the schema it validates against. */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of the findings' fingerprints (`partialFingerprints`). */
export const FINGERPRINT_KEY = 'stackyardFinding/v1';

const INFORMATION_URI =
  'https://github.com/stackyard/stackyard/tree/main/packages/cdk-guardrails';

let version: string | undefined;
function toolVersion(): string {
  if (version === undefined) {
    try {
      version = String(
        JSON.parse(readFileSync(resolve(packageRoot(), 'package.json'), 'utf8')).version,
      );
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/** `SY-LAMBDA-TIMEOUT` → `SyLambdaTimeout`: the rule's name in SARIF. */
function ruleName(id: string): string {
  return id
    .toLowerCase()
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/**
 * The SARIF 2.1.0 report, as code scanning reads it: one run whose driver
 * lists every rule (descriptions, documentation page and text, default
 * level from the severity), a result per finding with its location in the
 * repository and its construct path as a logical location, fingerprints
 * that survive re-runs and branches, and acknowledged findings as results
 * suppressed in source with the acknowledgement's reason.
 */
export function sarifReport(input: ReportInput): string {
  const rules = ruleCatalog(input.packs);
  const entries = reportEntries(input);
  for (const e of entries) {
    if (!rules.some(r => r.id === e.ruleId)) {
      rules.push({ id: e.ruleId, description: e.ruleId, severity: e.severity });
    }
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = entries.map(e => {
    const where = input.locate(e);
    return {
      ruleId: e.ruleId,
      ruleIndex: index.get(e.ruleId),
      level: e.kind === 'warning' ? 'warning' : e.severity,
      message: { text: `${resourceName(e)}: ${e.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: where.uri },
            region: { startLine: where.line },
          },
          logicalLocations: [
            {
              name: e.path ?? e.logicalId,
              fullyQualifiedName: resourceName(e),
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(e, input.stackKey) },
      ...(e.kind === 'acknowledged'
        ? {
            suppressions: [
              {
                kind: 'inSource',
                justification:
                  e.expires !== undefined ? `${e.reason} (until ${e.expires})` : e.reason,
              },
            ],
          }
        : {}),
      properties: {
        stack: e.stack,
        logicalId: e.logicalId,
        resourceType: e.resourceType,
      },
    };
  });
  return JSON.stringify(
    {
      $schema: SARIF_SCHEMA,
      version: SARIF_VERSION,
      runs: [
        {
          tool: {
            driver: {
              name: 'stackyard',
              version: toolVersion(),
              informationUri: INFORMATION_URI,
              rules: rules.map(r => {
                const doc = readRuleDoc(r.id);
                return {
                  id: r.id,
                  name: ruleName(r.id),
                  shortDescription: { text: r.description },
                  fullDescription: { text: doc?.why || r.description },
                  helpUri: ruleDocsUrl(r.id),
                  ...(doc ? { help: { text: doc.markdown, markdown: doc.markdown } } : {}),
                  defaultConfiguration: { level: r.severity },
                  properties: { tags: ['stackyard', 'infrastructure'] },
                };
              }),
            },
          },
          results,
        },
      ],
    },
    null,
    2,
  );
}
