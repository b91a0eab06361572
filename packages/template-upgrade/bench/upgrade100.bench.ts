/*
 * Benchmark: upgrading locally published services from serverless-service
 * 1.0.0 to its current version with the upgrade engine, one after the other,
 * as the portal's upgrade operation and stackyard:template:upgrade run it.
 *
 *   npm run bench --workspace @stackyard/template-upgrade
 *   npm run bench --workspace @stackyard/template-upgrade -- --services 100 --tests 10 --json
 *
 * Setup (not measured): each service is rendered from templates/
 * serverless-service/versions/1.0.0 with its own answers into a repository
 * as publish:local leaves it (render on main and stackyard/template), and its
 * owners commit an edit of their own (a line in README.md) on main.
 *
 * Measured per service: upgradeService() — clone, render the current version,
 * commit it on the pristine branch, three-way merge into
 * stackyard/upgrade-<version>, synth + safety policy in this process, push
 * of both branches. The service's own
 * `npm test` (a child process, most of an upgrade's time) runs for the
 * first --tests services only and is reported separately; the per-service
 * figures exclude it. Peak RSS is this process's (synthesis runs in it); git
 * and npm test are child processes, not included.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { commitToMain, publishRendered, upgradeService } from '../src';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const services = option('services', 100);
const withTests = option('tests', 10);
const json = args.includes('--json');
const templateDirs = [resolve(__dirname, '../../../templates')];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]
    : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};
const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'stackyard-upgrade-bench-'));
  try {
    const setupStarted = Date.now();
    const repos: string[] = [];
    for (let i = 0; i < services; i++) {
      const name = `svc-${String(i).padStart(3, '0')}`;
      const repoDir = join(root, name);
      await publishRendered({
        templateDirs,
        template: 'serverless-service',
        version: '1.0.0',
        answers: {
          name,
          description: `Service ${i}`,
          owner: 'group:default/team-a',
          system: 'system:default/shop',
          project: `p${i}`,
          costCenter: 'cc-1234',
        },
        repoDir,
      });
      await commitToMain(repoDir, dir => {
        const readme = join(dir, 'README.md');
        writeFileSync(
          readme,
          `${readFileSync(readme, 'utf8')}\nOn call: team A (${name}).\n`,
        );
      });
      repos.push(repoDir);
    }
    const setupMs = Date.now() - setupStarted;

    const perService: number[] = [];
    const tests: number[] = [];
    const stages: Record<string, number[]> = {};
    let conflicts = 0;
    let failures = 0;
    let toVersion = '';
    const started = Date.now();
    for (const [i, repoDir] of repos.entries()) {
      const t0 = Date.now();
      const result = await upgradeService({
        repoDir,
        templateDirs,
        runTests: i < withTests,
      });
      const total = Date.now() - t0;
      const testMs = result.timings.tests ?? 0;
      perService.push(total - testMs);
      if (i < withTests) tests.push(testMs);
      for (const [stage, ms] of Object.entries(result.timings)) {
        if (stage !== 'tests') (stages[stage] ??= []).push(ms);
      }
      toVersion = result.toVersion;
      conflicts += result.conflicts.length;
      if (
        result.policyPassed !== true ||
        (i < withTests && !result.testsPassed)
      ) {
        failures++;
      }
    }
    const totalMs = Date.now() - started;
    const report = {
      services,
      toVersion,
      setupMs,
      totalMs,
      totalExcludingTestsMs: totalMs - tests.reduce((a, b) => a + b, 0),
      perServiceExcludingTests: {
        medianMs: median(perService),
        p95Ms: p95(perService),
        maxMs: Math.max(...perService),
      },
      stageMedianMs: Object.fromEntries(
        Object.entries(stages).map(([stage, values]) => [
          stage,
          median(values),
        ]),
      ),
      tests: {
        services: tests.length,
        medianMs: tests.length ? median(tests) : null,
        maxMs: tests.length ? Math.max(...tests) : null,
      },
      conflicts,
      failures,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
      cpus: require('os').cpus().length,
    };
    if (json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      console.log(
        [
          `Upgraded ${services} services serverless-service 1.0.0 → ${toVersion} (setup ${s(
            setupMs,
          )}, not measured)`,
          `  total ${s(totalMs)}; without the services' tests ${s(
            report.totalExcludingTestsMs,
          )}`,
          `  per service, without tests: median ${s(
            report.perServiceExcludingTests.medianMs,
          )}, p95 ${s(report.perServiceExcludingTests.p95Ms)}, max ${s(
            report.perServiceExcludingTests.maxMs,
          )}`,
          `  stage medians: ${Object.entries(report.stageMedianMs)
            .map(([k, v]) => `${k} ${v} ms`)
            .join(', ')}`,
          `  services' own tests (${tests.length} services): median ${
            tests.length ? s(report.tests.medianMs!) : '-'
          }, max ${tests.length ? s(report.tests.maxMs!) : '-'}`,
          `  conflicts ${conflicts}, failed checks ${failures}, peak RSS ${report.peakRssMb} MB`,
        ].join('\n'),
      );
    }
    if (failures > 0 || conflicts > 0) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
