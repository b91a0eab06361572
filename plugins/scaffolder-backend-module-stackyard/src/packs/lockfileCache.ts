import { createHash } from 'crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'fs';
import { dirname, join } from 'path';
import type { PackSet } from './packCache';
import { childEnv, run } from './run';

// Repositories of one template differ in their name only: their lockfile is
// resolved once (npm, about 15 s) and reused with the name set.
const NAME = '@stackyard/lockfile-placeholder';

const withName = (json: any, name: unknown) => ({ ...json, name });

/** Lockfiles being resolved by this process, by cache file. */
const resolving = new Map<string, Promise<void>>();

/**
 * Writes `<dir>/package-lock.json` for `<dir>/package.json` (whose
 * `@stackyard` dependencies point at `set`'s tarballs): resolved by npm
 * (`--package-lock-only`, registry metadata from npm's cache when it has it)
 * the first time, then from a copy kept with `set` for package.json files
 * that differ only in their name.
 */
export async function writeLockfile(
  dir: string,
  set: PackSet,
  log: (message: string) => void,
): Promise<void> {
  const packageJson = JSON.parse(
    readFileSync(join(dir, 'package.json'), 'utf8'),
  );
  const key = createHash('sha256')
    .update(JSON.stringify(withName(packageJson, NAME)))
    .digest('hex')
    .slice(0, 20);
  const cached = join(set.dir, 'locks', `${key}.json`);
  if (!existsSync(cached)) {
    let pending = resolving.get(cached);
    if (!pending) {
      pending = resolveInto(dir, cached, log).finally(() =>
        resolving.delete(cached),
      );
      resolving.set(cached, pending);
    }
    await pending;
  }
  const lock = JSON.parse(readFileSync(cached, 'utf8'));
  lock.name = packageJson.name;
  lock.packages[''] = withName(lock.packages[''], packageJson.name);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify(lock, null, 2)}\n`,
  );
}

/** Resolves the lockfile of `dir` and keeps it, without its name, as `cached`. */
async function resolveInto(
  dir: string,
  cached: string,
  log: (message: string) => void,
): Promise<void> {
  log('Resolving package-lock.json (npm install --package-lock-only)');
  await run(
    'npm',
    [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--workspaces=false',
    ],
    { cwd: dir, env: childEnv(), timeoutMs: 180_000 },
  );
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  lock.name = NAME;
  lock.packages[''] = withName(lock.packages[''], NAME);
  mkdirSync(dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(lock, null, 2)}\n`);
  renameSync(partial, cached);
}
