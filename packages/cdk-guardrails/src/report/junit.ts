import { ReportInput, reportEntries, resourceName } from './reportInput';
import { xmlEscape, xmlText } from './xml';

interface TestCase {
  readonly stack: string;
  readonly classname: string;
  readonly name: string;
  readonly body: string;
  readonly failed: boolean;
  readonly skipped: boolean;
}

/**
 * The JUnit XML report: a test suite per stack and a test case per rule and
 * resource it applies to (class name `<stack>/<construct path>`, name the
 * rule ID). A finding that fails is a `<failure>`; an acknowledged one is
 * `<skipped>` with its reason; a warning passes with the warning in
 * `<system-out>`, since warnings never fail. Rules that do not apply to a
 * resource's type are no test case.
 */
export function junitReport(input: ReportInput): string {
  const cases: TestCase[] = input.report.passed.map(p => ({
    stack: p.stack,
    classname: resourceName(p),
    name: p.ruleId,
    body: '',
    failed: false,
    skipped: false,
  }));
  for (const e of reportEntries(input)) {
    const text = `${e.message}\nsee ${e.docs}`;
    let body: string;
    if (e.kind === 'failure') {
      body = `<failure message="${xmlEscape(e.message)}" type="${xmlEscape(e.ruleId)}">${xmlText(text)}</failure>`;
    } else if (e.kind === 'acknowledged') {
      const until = e.expires !== undefined ? ` (until ${e.expires})` : '';
      body = `<skipped message="${xmlEscape(`acknowledged${until}: ${e.reason}`)}"/>`;
    } else {
      body = `<system-out>${xmlText(`warning: ${text}`)}</system-out>`;
    }
    cases.push({
      stack: e.stack,
      classname: resourceName(e),
      name: e.ruleId,
      body,
      failed: e.kind === 'failure',
      skipped: e.kind === 'acknowledged',
    });
  }
  const stacks = [...new Set(cases.map(c => c.stack))];
  const counts = (list: TestCase[]) =>
    `tests="${list.length}" failures="${list.filter(c => c.failed).length}" errors="0" skipped="${
      list.filter(c => c.skipped).length
    }"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stackyard safety policy" ${counts(cases)}>`,
  ];
  for (const stack of stacks) {
    const suite = cases
      .filter(c => c.stack === stack)
      .sort((a, b) => a.classname.localeCompare(b.classname) || a.name.localeCompare(b.name));
    lines.push(`  <testsuite name="${xmlEscape(stack)}" ${counts(suite)}>`);
    for (const c of suite) {
      const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"`;
      lines.push(c.body ? `${open}>${c.body}</testcase>` : `${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
