import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { PackedPackage } from './buildPacks';
import type { PackSet } from './packCache';

/** Where a repository keeps the tarballs it depends on, relative to its root. */
export const VENDOR_DIR = 'vendor/stackyard';

const DEPENDENCY_GROUPS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
] as const;

/** The names `packageJson` depends on (any group). */
export function dependencyNames(packageJson: any): string[] {
  return DEPENDENCY_GROUPS.flatMap(group =>
    Object.keys(packageJson?.[group] ?? {}),
  );
}

/**
 * Makes the repository at `dir` install the packed packages from itself:
 * copies the tarball of each package of `set` it depends on, and of what
 * those depend on, to `vendor/stackyard/`, and points its package.json at
 * them (`file:vendor/stackyard/<tarball>`): its own dependencies in place,
 * the packages only they depend on through `overrides`. package.json is
 * read and written as JSON. Returns the packages vendored.
 */
export function vendorPacks(dir: string, set: PackSet): PackedPackage[] {
  const file = join(dir, 'package.json');
  const packageJson = JSON.parse(readFileSync(file, 'utf8'));
  const byName = new Map(set.packages.map(p => [p.name, p]));
  const direct = dependencyNames(packageJson).filter(name => byName.has(name));
  const needed = new Map<string, PackedPackage>();
  const visit = (name: string) => {
    const pkg = byName.get(name);
    if (!pkg || needed.has(name)) return;
    needed.set(name, pkg);
    pkg.dependencies.forEach(visit);
  };
  direct.forEach(visit);
  if (needed.size === 0) return [];

  mkdirSync(join(dir, VENDOR_DIR), { recursive: true });
  const spec = (pkg: PackedPackage) => `file:${VENDOR_DIR}/${pkg.file}`;
  for (const pkg of needed.values()) {
    copyFileSync(join(set.dir, pkg.file), join(dir, VENDOR_DIR, pkg.file));
  }
  for (const group of DEPENDENCY_GROUPS) {
    for (const name of Object.keys(packageJson[group] ?? {})) {
      const pkg = needed.get(name);
      if (pkg) packageJson[group][name] = spec(pkg);
    }
  }
  const indirect = [...needed.values()].filter(p => !direct.includes(p.name));
  if (indirect.length > 0) {
    packageJson.overrides = { ...packageJson.overrides };
    for (const pkg of indirect) packageJson.overrides[pkg.name] = spec(pkg);
  }
  writeFileSync(file, `${JSON.stringify(packageJson, null, 2)}\n`);
  return [...needed.values()];
}
