// A node:test reporter that writes jest-style totals ({ numPassedTests,
// numFailedTests }) for scripts/sum-test-results.mjs.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    // Top-level tests only; suites and subtests are not counted twice.
    if (event.data?.nesting !== 0 || event.data.details?.type === 'suite') {
      continue;
    }
    if (event.type === 'test:pass' && !event.data.skip) passed++;
    if (event.type === 'test:fail') failed++;
  }
  yield `${JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
  })}\n`;
}
