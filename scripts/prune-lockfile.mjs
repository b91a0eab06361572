// The npm registry reachable here only carries the Linux x64 builds of some
// native packages (@swc/core-darwin-arm64 and friends answer 404). `npm
// install` skips those optional dependencies, but then `npm ci` refuses the
// lockfile ("Missing: … from lock file"). This drops optional dependencies
// that have no entry in the lockfile, so `npm ci` accepts it. Runs as the
// root `postinstall`, after npm has written the lockfile; idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const file = 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const installed = new Set(
  Object.keys(lock.packages).map(key => key.replace(/^.*node_modules\//, '')),
);

let pruned = 0;
for (const entry of Object.values(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!installed.has(name)) {
      delete entry.optionalDependencies[name];
      pruned += 1;
    }
  }
  if (
    entry.optionalDependencies &&
    !Object.keys(entry.optionalDependencies).length
  ) {
    delete entry.optionalDependencies;
  }
}

if (pruned > 0) {
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    `prune-lockfile: dropped ${pruned} unavailable optional dependencies`,
  );
}
