// API reports (`report.api.md`, one per entry point) of every published
// workspace, by @backstage/repo-tools (API Extractor over tsc's declarations).
//
//   node scripts/api-reports.mjs        regenerate the reports; commit them
//   node scripts/api-reports.mjs --ci   fail if a public API changed without
//                                       its report (npm test runs this)
//
// repo-tools' own `--tsc` runs `yarn tsc`; this runs tsc itself, emitting the
// declarations of the published workspaces (and what they import) to
// dist-types/.
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const ci = process.argv.includes('--ci');

/** Workspace directories whose package is published (not `private`). */
const published = ['packages', 'plugins'].flatMap(parent =>
  readdirSync(parent, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => join(parent, entry.name))
    .filter(dir => {
      try {
        return !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
          .private;
      } catch {
        return false;
      }
    }),
);

const cacheDir = 'node_modules/.cache/stackyard-api-reports';
const tsconfig = join(cacheDir, 'tsconfig.json');
mkdirSync(cacheDir, { recursive: true });
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: '../../../tsconfig.json',
    include: published.flatMap(dir => [
      `../../../${dir}/src`,
      `../../../${dir}/config.d.ts`,
    ]),
    compilerOptions: {
      outDir: '../../../dist-types',
      rootDir: '../../..',
      incremental: false,
    },
  }),
);

for (const dir of published) {
  rmSync(join('dist-types', dir), { recursive: true, force: true });
}
const run = (command, args) =>
  spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

// Type errors are the type check's to report: tsc still writes the
// declarations, and API Extractor fails on what it cannot read.
if (run('npx', ['tsc', '--project', tsconfig]) !== 0) {
  console.log('api-reports: tsc reported errors (see the type check)');
}
process.exit(
  run('npx', [
    'backstage-repo-tools',
    'api-reports',
    ...(ci ? ['--ci'] : []),
    // Our exports carry no release tags (@public): every export is public.
    // ae-wrong-input-file-type only says the program also holds the .ts
    // sources (the tsconfig includes them), with an absolute path. Other
    // warnings (a forgotten export, a broken {@link}) are written into the
    // reports, so a new one shows up as a report change.
    '--omit-messages',
    'ae-missing-release-tag,ae-undocumented,ae-wrong-input-file-type',
    '--allow-all-warnings',
    ...published,
  ]),
);
