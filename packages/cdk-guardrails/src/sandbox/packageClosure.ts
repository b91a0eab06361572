import { existsSync, readFileSync, realpathSync } from 'fs';
import { dirname, join } from 'path';

/**
 * Where Node finds package `name` from `from`, walking up through the
 * `node_modules` directories (a workspace link stays a link), or undefined.
 */
export function findPackage(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The directories (real paths) of packages `names`, found from `from`, and
 * of everything they depend on (dependencies, optional and peer
 * dependencies installed): what loading them reads, and no other package
 * of the `node_modules` directory — what a sandboxed process is given to
 * read. Throws when one of `names` is not installed.
 */
export function packageClosure(
  names: readonly string[],
  from: string,
): string[] {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    );
    for (const dependency of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
    })) {
      const found = findPackage(dependency, dir);
      if (found) visit(realpathSync(found));
    }
  };
  for (const name of names) {
    const found = findPackage(name, from);
    if (!found) throw new Error(`${name} is not installed`);
    visit(realpathSync(found));
  }
  return [...seen];
}
