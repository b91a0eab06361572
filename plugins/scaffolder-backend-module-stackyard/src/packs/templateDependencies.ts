import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

/**
 * The dependency names of the skeletons in `<root>/templates/*\/skeleton`.
 * A skeleton's package.json is a template; its `${{ … }}` expressions are
 * read as null, and one that still does not parse is skipped.
 */
export function templateDependencyNames(root: string): string[] {
  const templates = join(root, 'templates');
  if (!existsSync(templates)) return [];
  const names = new Set<string>();
  for (const entry of readdirSync(templates, { withFileTypes: true })) {
    const file = join(templates, entry.name, 'skeleton', 'package.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    try {
      const json = JSON.parse(
        readFileSync(file, 'utf8').replace(/\$\{\{[^}]*\}\}/g, 'null'),
      );
      for (const group of ['dependencies', 'devDependencies']) {
        Object.keys(json[group] ?? {}).forEach(name => names.add(name));
      }
    } catch {
      // Not JSON once its expressions are blanked: nothing to learn from it.
    }
  }
  return [...names].sort();
}
