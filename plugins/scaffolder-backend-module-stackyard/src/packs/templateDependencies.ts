import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

/**
 * The package.json files of the skeletons in `<root>/templates/*\/skeleton`,
 * by template. A skeleton's package.json is a template; its `${{ … }}`
 * expressions are read as null, and one that still does not parse is
 * skipped.
 */
export function skeletonPackageJsons(root: string): Map<string, any> {
  const templates = join(root, 'templates');
  const result = new Map<string, any>();
  if (!existsSync(templates)) return result;
  for (const entry of readdirSync(templates, { withFileTypes: true })) {
    const file = join(templates, entry.name, 'skeleton', 'package.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    try {
      result.set(
        entry.name,
        JSON.parse(
          readFileSync(file, 'utf8').replace(/\$\{\{[^}]*\}\}/g, 'null'),
        ),
      );
    } catch {
      // Not JSON once its expressions are blanked: nothing to learn from it.
    }
  }
  return result;
}

/** The dependency names of the templates' skeletons. */
export function templateDependencyNames(root: string): string[] {
  const names = new Set<string>();
  for (const json of skeletonPackageJsons(root).values()) {
    for (const group of ['dependencies', 'devDependencies']) {
      Object.keys(json[group] ?? {}).forEach(name => names.add(name));
    }
  }
  return [...names].sort();
}
