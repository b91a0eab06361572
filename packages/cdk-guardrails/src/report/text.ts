import { formatFinding } from '../policy/evaluateTemplate';
import { ReportInput, reportEntries } from './reportInput';

/**
 * The human-readable report: one stdout line per finding that fails
 * (`<RULE-ID> <stack>/<path>: <message> (see <docs>)`), one stderr line per
 * warning (`warning: ...`) and a summary line on stderr.
 */
export function textReport(input: ReportInput): { stdout: string[]; stderr: string[] } {
  const entries = reportEntries(input);
  const line = (e: (typeof entries)[number]) => `${formatFinding(e)} (see ${e.docs})`;
  const { findings, warnings, acknowledged } = input.report;
  return {
    stdout: entries.filter(e => e.kind === 'failure').map(line),
    stderr: [
      ...entries.filter(e => e.kind === 'warning').map(e => `warning: ${line(e)}`),
      `${findings.length} finding(s), ${warnings.length} warning(s), ${acknowledged.length} acknowledged`,
    ],
  };
}
