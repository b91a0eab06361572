import { ReportInput, reportEntries } from './reportInput';

/**
 * The JSON report: `{ ok, ...extra, findings, warnings, acknowledged }`,
 * each finding with its rule's `severity` and `docs` page.
 */
export function jsonReport(input: ReportInput): string {
  const entries = reportEntries(input).map(({ kind, ...rest }) => ({ kind, entry: rest }));
  const of = (kind: string) => entries.filter(e => e.kind === kind).map(e => e.entry);
  return JSON.stringify(
    {
      ok: input.report.findings.length === 0,
      ...input.extra,
      findings: of('failure'),
      warnings: of('warning'),
      acknowledged: of('acknowledged'),
    },
    null,
    2,
  );
}
