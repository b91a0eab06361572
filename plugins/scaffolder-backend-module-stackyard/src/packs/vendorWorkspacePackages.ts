import { existsSync, readFileSync } from 'fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { join } from 'path';
import type { PackedPackage } from './buildPacks';
import { ensurePacks } from './packCache';
import { writeLockfile } from './lockfileCache';
import { templateDependencyNames } from './templateDependencies';
import { VENDOR_DIR, dependencyNames, vendorPacks } from './vendorPacks';
import { findWorkspaceRoot, listWorkspacePackages } from './workspacePackages';

/** What {@link vendorWorkspacePackages} did. */
export interface VendorResult {
  readonly vendored: readonly PackedPackage[];
  /** Why nothing was vendored although the repository needs packages of this monorepo. */
  readonly skipped?: string;
}

/**
 * Makes the repository rendered in `dir` installable on its own: the
 * packages of this monorepo it depends on (e.g. `@stackyard/cdk-guardrails`,
 * which no registry may have) are packed (cached, see `ensurePacks`), copied
 * into it and referenced with `file:`, and a package-lock.json is written
 * (from the npm registry and the tarballs; see `writeLockfile`) so that
 * `npm ci` installs it.
 * Packages of the templates' skeletons are packed together, so every
 * template shares one build.
 */
export async function vendorWorkspacePackages(options: {
  dir: string;
  log: (message: string) => void;
  /** The monorepo; by default the one holding this package. */
  root?: string;
  cacheDir?: string;
}): Promise<VendorResult> {
  const { dir, log } = options;
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return { vendored: [] };
  const root =
    options.root ??
    findWorkspaceRoot(
      resolvePackagePath(
        '@stackyard/plugin-scaffolder-backend-module-stackyard',
      ),
    );
  if (!root) {
    return { vendored: [], skipped: 'no monorepo holds this portal' };
  }
  const packages = listWorkspacePackages(root);
  const needed = dependencyNames(JSON.parse(readFileSync(file, 'utf8'))).filter(
    name => packages.has(name),
  );
  if (needed.length === 0) return { vendored: [] };
  const unbuildable = needed.filter(
    name => !existsSync(join(packages.get(name)!.dir, 'src')),
  );
  if (unbuildable.length > 0) {
    return {
      vendored: [],
      skipped: `the sources of ${unbuildable.join(', ')} are not in ${root}`,
    };
  }
  const names = new Set([
    ...needed,
    ...templateDependencyNames(root).filter(name => packages.has(name)),
  ]);
  const set = await ensurePacks({
    root,
    names: [...names],
    cacheDir: options.cacheDir,
    log,
  });
  const vendored = vendorPacks(dir, set);
  log(
    `Vendored ${vendored
      .map(p => `${p.name}@${p.version}`)
      .join(', ')} into ${VENDOR_DIR}`,
  );
  await writeLockfile(dir, set, log);
  return { vendored };
}
