// `npm run pack:stackyard`: builds and packs the packages of this monorepo
// that the templates' generated repositories depend on (and what those
// depend on) into node_modules/.cache/stackyard-packs/<key>/, keyed by their
// versions and a hash of their sources. stackyard:publish:local copies the
// tarballs into each repository it publishes; it packs on first use when
// they are missing or stale (up to a minute, shown in the task log), which
// running this ahead avoids, as it also resolves each template's
// package-lock.json. `npm start` runs it in the background.
//
// The tarballs are what a registry would get: `npm publish <tarball>`.
import { join } from 'node:path';
import { repoRoot, requireTs } from './templates-check/require.mjs';

const { packForTemplates } = requireTs(
  join(repoRoot, 'plugins/scaffolder-backend-module-stackyard/src/packs'),
);

const started = Date.now();
packForTemplates({
  root: repoRoot,
  log: message => console.log(`pack:stackyard: ${message}`),
}).then(
  set => {
    console.log(
      `pack:stackyard: ${set.packages.length} package(s) in ${set.dir} (${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s)`,
    );
    for (const pkg of set.packages) console.log(`  ${pkg.file}`);
  },
  error => {
    console.error(`pack:stackyard: ${error.message ?? error}`);
    process.exit(1);
  },
);
