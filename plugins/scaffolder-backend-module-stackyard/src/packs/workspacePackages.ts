import { existsSync, readFileSync, readdirSync } from 'fs';
import { dirname, join, resolve } from 'path';

/** A package of the monorepo's npm workspaces. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of its directory. */
  readonly dir: string;
  /** Names of its `dependencies` that are workspace packages too. */
  readonly workspaceDependencies: readonly string[];
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The nearest directory from `from` upwards whose package.json has `workspaces`. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && Array.isArray(readJson(file).workspaces)) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The workspace packages of `root`, by name. Workspace patterns are
 * directories (`tools/cli`) or one level of them (`packages/*`), the forms
 * this repository uses.
 */
export function listWorkspacePackages(
  root: string,
): Map<string, WorkspacePackage> {
  const patterns: string[] = readJson(join(root, 'package.json')).workspaces;
  const dirs = patterns.flatMap(pattern => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => join(parent, entry.name));
  });
  const raw = dirs
    .filter(dir => existsSync(join(dir, 'package.json')))
    .map(dir => ({ dir, json: readJson(join(dir, 'package.json')) }));
  const names = new Set(raw.map(p => p.json.name as string));
  return new Map(
    raw.map(({ dir, json }) => [
      json.name,
      {
        name: json.name,
        version: json.version,
        dir,
        workspaceDependencies: Object.keys(json.dependencies ?? {})
          .filter(dep => names.has(dep))
          .sort(),
      },
    ]),
  );
}

/**
 * `names` and the workspace packages they depend on at runtime, each after
 * its dependencies. Throws for a name that is no workspace package.
 */
export function packageClosure(
  names: readonly string[],
  packages: ReadonlyMap<string, WorkspacePackage>,
): WorkspacePackage[] {
  const ordered: WorkspacePackage[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const pkg = packages.get(name);
    if (!pkg) {
      throw new Error(`${name} is not a package of this repository`);
    }
    pkg.workspaceDependencies.forEach(visit);
    ordered.push(pkg);
  };
  [...names].sort().forEach(visit);
  return ordered;
}
