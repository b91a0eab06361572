import { createHash } from 'crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import type { WorkspacePackage } from './workspacePackages';

// What a package's build and tarball are made of. Tests and fixtures are
// left out so that editing them does not invalidate the packs.
const PACKED_ROOTS = [
  'package.json',
  'README.md',
  'LICENSE',
  'config.d.ts',
  'bin',
  'src',
];
const SKIPPED =
  /(^|\/)(__fixtures__|__testUtils__|__snapshots__)(\/|$)|\.test\.[cm]?[jt]sx?$/;

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap(entry => filesUnder(join(path, entry.name)));
}

/**
 * A hash of what `packages` are built and packed from (their versions,
 * sources, executables and READMEs) and of `extra` (e.g. the shared
 * tsconfig), so that packs are rebuilt exactly when one of these changes.
 */
export function sourceHash(
  packages: readonly WorkspacePackage[],
  extra: readonly string[] = [],
): string {
  const hash = createHash('sha256');
  const add = (label: string, file: string) => {
    hash.update(`${label}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  };
  for (const pkg of packages) {
    hash.update(`${pkg.name}@${pkg.version}\0`);
    for (const root of PACKED_ROOTS) {
      for (const file of filesUnder(join(pkg.dir, root))) {
        const path = relative(pkg.dir, file);
        if (!SKIPPED.test(path)) add(`${pkg.name}/${path}`, file);
      }
    }
  }
  for (const file of extra) {
    if (existsSync(file)) add(file, file);
  }
  return hash.digest('hex');
}
