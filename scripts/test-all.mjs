// `npm test`: type check, lint, every workspace's tests, and the browser
// tests. Suites needing PostgreSQL or Chromium run when those are present;
// STACKYARD_REQUIRE_POSTGRES=1 / STACKYARD_REQUIRE_BROWSER=1 (set by .ci/run)
// make a missing one a failure instead of a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { sumResults } from './sum-test-results.mjs';

const resultsDir = '.test-results';
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserRequired = process.env.STACKYARD_REQUIRE_BROWSER === '1';

// Checks without their own test report count as one test each.
const steps = [
  ['Type check', 'npx', ['tsc', '--noEmit'], 'check-types'],
  ['Lint', 'npx', ['backstage-cli', 'repo', 'lint'], 'check-lint'],
  // Fails when a published package's API changed without its report.api.md.
  [
    'API reports',
    'node',
    ['scripts/api-reports.mjs', '--ci'],
    'check-api-reports',
  ],
  [
    'Template checks',
    'node',
    ['scripts/templates-check.mjs', '--report', `${resultsDir}/templates.json`],
    undefined,
    'templates',
  ],
  [
    'Template checker tests',
    'node',
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/templates-check/countReporter.mjs',
      `--test-reporter-destination=${resultsDir}/templates-checker.json`,
      'scripts/templates-check/',
    ],
    undefined,
    'templates-checker',
  ],
  [
    'Unit and integration tests',
    'node',
    ['scripts/run-unit-tests.mjs'],
    undefined,
    'unit',
  ],
];
if (existsSync(chromium) || browserRequired) {
  steps.push(['Browser tests', 'npm', ['run', 'test:e2e'], undefined, 'e2e']);
} else {
  console.log(
    `Browser tests not run: ${chromium} not found (apt install chromium).`,
  );
}

const failedSteps = [];
for (const [title, command, args, checkReport, testReport] of steps) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`=== ${title}: ${status === 0 ? 'ok' : 'FAILED'} (${seconds}s)`);
  if (status !== 0) failedSteps.push(title);
  if (checkReport) {
    const report = {
      numPassedTests: status === 0 ? 1 : 0,
      numFailedTests: status === 0 ? 0 : 1,
    };
    writeFileSync(`${resultsDir}/${checkReport}.json`, JSON.stringify(report));
  }
  // A suite that could not start wrote no report; count it as failed.
  if (
    testReport &&
    status !== 0 &&
    !existsSync(`${resultsDir}/${testReport}.json`)
  ) {
    writeFileSync(
      `${resultsDir}/${testReport}.json`,
      JSON.stringify({ numPassedTests: 0, numFailedTests: 1 }),
    );
  }
}

console.log('');
const { passed, failed } = sumResults(resultsDir);
if (failedSteps.length > 0)
  console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
