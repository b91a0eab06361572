// `npm run templates:check`: renders every templates/*/template.yaml with its
// check-values.yaml through a real scaffolder dry-run, checks the rendered
// files, renders it again with hostile answers (which must change no file's
// shape, or be refused by the scaffolder's validation), synthesizes it
// through the safety policy, serves its WebSocket API (if it has one) with the
// stackyard-ws emulator, runs the generated repository's own tests, upgrades
// a repository of each earlier version kept in versions/ to this one, then
// publishes it as the wizard does (this monorepo's packages packed into it)
// and runs `npm ci && npm test` in a clone outside this monorepo. Exits
// non-zero when any template fails.
//
//   node scripts/templates-check.mjs [--report <file.json>] [name ...]
//
// --report writes jest-style counts (one test per template) for npm test.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplate } from './templates-check/checkTemplate.mjs';
import { startPortal } from './templates-check/portal.mjs';
import { repoRoot, requireTs } from './templates-check/require.mjs';

const seconds = ms => `${(ms / 1000).toFixed(1)}s`;

function parseArgs(argv) {
  const names = [];
  let report;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--report') {
      report = argv[++i];
      if (!report) throw new Error('--report needs a file name');
    } else if (argv[i].startsWith('-')) {
      throw new Error(`Unknown option ${argv[i]}`);
    } else {
      names.push(argv[i]);
    }
  }
  return { names, report };
}

async function main() {
  const { names, report } = parseArgs(process.argv.slice(2));
  const templatesDir = join(repoRoot, 'templates');
  const all = readdirSync(templatesDir).filter(n =>
    existsSync(join(templatesDir, n, 'template.yaml')),
  );
  const unknown = names.filter(n => !all.includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `No template ${unknown.join(', ')} in templates/ (have: ${all.join(
        ', ',
      )})`,
    );
  }
  const selected = names.length > 0 ? names : all;

  const started = Date.now();
  // The standalone stage publishes with this monorepo's packages packed:
  // packing (up to a minute when their sources changed) starts now, beside
  // the first template's other stages, and the publish waits for it.
  const { packForTemplates } = requireTs(
    join(repoRoot, 'plugins/scaffolder-backend-module-stackyard/src/packs'),
  );
  packForTemplates({
    root: repoRoot,
    log: line => console.log(`  (packing) ${line}`),
  }).catch(() => {
    // The standalone stage reports it, as the first publish packs again.
  });
  console.log(`Starting the scaffolder (dry-run API) ...`);
  const portal = await startPortal();
  console.log(`  ready in ${seconds(Date.now() - started)}`);
  const results = [];
  try {
    for (const name of selected) {
      console.log(`\n▶ ${name}`);
      const result = await checkTemplate({
        templateDir: join(templatesDir, name),
        portal,
        standalone: true,
        onStage: (stage, ms, ok) =>
          console.log(`  ${ok ? '✓' : '✗'} ${stage.padEnd(10)} ${seconds(ms)}`),
      });
      results.push(result);
      const total = Object.values(result.timings).reduce((a, b) => a + b, 0);
      if (result.ok) {
        console.log(
          `  ${name}: ok, ${
            result.testsPassed
          } generated test(s) passed; hostile answers: ${
            result.hostile.rendered
          } rendered unchanged in shape, ${
            result.hostile.refused
          } refused by validation (${seconds(total)})`,
        );
        const { testsPassed, vendored, timings } = result.standalone;
        console.log(
          `    standalone: npm ci with ${vendored.join(
            ', ',
          )} vendored, ${testsPassed} test(s) passed outside this monorepo (${Object.entries(
            timings,
          )
            .map(([step, ms]) => `${step} ${seconds(ms)}`)
            .join(', ')})`,
        );
        const upgrades = result.upgrades;
        for (const line of upgrades.skipped
          ? [`skipped: ${upgrades.skipped}`]
          : upgrades.upgraded) {
          console.log(`    upgrade: ${line}`);
        }
        const { skipped, proven } = result.emulator;
        for (const line of skipped ? [`skipped: ${skipped}`] : proven) {
          console.log(`    emulator: ${line}`);
        }
      } else {
        console.log(`  ${name}: FAILED at ${result.stage} (${seconds(total)})`);
        for (const line of result.problems.join('\n').split('\n')) {
          console.log(`    ${line}`);
        }
      }
    }
  } finally {
    await portal.stop();
  }

  const failed = results.filter(r => !r.ok);
  console.log(
    `\nTemplates: ${results.length - failed.length} passed, ${
      failed.length
    } failed (${seconds(Date.now() - started)})`,
  );
  if (report) {
    writeFileSync(
      report,
      JSON.stringify({
        numPassedTests: results.length - failed.length,
        numFailedTests: failed.length,
      }),
    );
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(`templates:check: ${error.message ?? error}`);
    process.exit(2);
  },
);
