// Sums the passed/failed counts of every results file in a folder and prints
// `N passed, N failed` as the last line. Results files are jest JSON reports
// (or anything with numPassedTests/numFailedTests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sumResults(dir) {
  let passed = 0;
  let failed = 0;
  const files = existsSync(dir)
    ? readdirSync(dir).filter(f => f.endsWith('.json'))
    : [];
  for (const file of files.sort()) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const p = report.numPassedTests ?? 0;
    const f = report.numFailedTests ?? 0;
    // A suite that failed to load has no tests but must still count.
    const broken = report.numRuntimeErrorTestSuites ?? 0;
    console.log(`${file}: ${p} passed, ${f + broken} failed`);
    passed += p;
    failed += f + broken;
  }
  return { passed, failed };
}

if (
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].split('/').pop())
) {
  const { passed, failed } = sumResults(process.argv[2] ?? '.test-results');
  console.log(`${passed} passed, ${failed} failed`);
}
