import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

let root: string | undefined;

/**
 * The directory of this package (its own package.json), found by walking
 * up from this module wherever a build put it: sources and the build sit at
 * different depths, and the package ships files beside them (`docs/`).
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  // eslint-disable-next-line no-restricted-syntax
  let dir = __dirname;
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !==
      '@stackyard/cdk-guardrails'
  ) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('cannot find the @stackyard/cdk-guardrails package directory');
    }
    dir = parent;
  }
  root = dir;
  return dir;
}
