import { jsonReport } from './json';
import { junitReport } from './junit';
import type { ReportInput } from './reportInput';
import { sarifReport } from './sarif';
import { textReport } from './text';

export { artifactUri, manifestLocator, templateLocator } from './locations';
export { fingerprintOf, reportEntries, ruleCatalog } from './reportInput';
export type { EntryKind, ReportEntry, ReportInput, SourceLocation } from './reportInput';
export { RULE_DOCS_BASE_URL, ruleDocsDir, readRuleDoc, ruleDocsFile, ruleDocsUrl } from './ruleDocs';
export type { RuleDoc } from './ruleDocs';
export { FINGERPRINT_KEY, SARIF_SCHEMA, SARIF_VERSION } from './sarif';
export { jsonReport, junitReport, sarifReport, textReport };

/** The formats of policy reports. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;

/** A format of policy reports. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** True when `value` names a report format. */
export function isReportFormat(value: unknown): value is ReportFormat {
  return (REPORT_FORMATS as readonly unknown[]).includes(value);
}

/** A report as one document in a format: the text report's stdout lines for `text`. */
export function renderReport(format: ReportFormat, input: ReportInput): string {
  switch (format) {
    case 'json':
      return jsonReport(input);
    case 'sarif':
      return sarifReport(input);
    case 'junit':
      return junitReport(input);
    default:
      return textReport(input).stdout.join('\n');
  }
}
