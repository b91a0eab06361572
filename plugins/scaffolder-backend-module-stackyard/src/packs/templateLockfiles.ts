import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeLockfile } from './lockfileCache';
import type { PackSet } from './packCache';
import { skeletonPackageJsons } from './templateDependencies';
import { vendorPacks } from './vendorPacks';

/**
 * Resolves, ahead of the wizard, the lockfile of each template's repository:
 * its skeleton's package.json vendored against `set` is what
 * stackyard:publish:local will write but for the name, which the lockfile
 * cache ignores. A skeleton whose package.json carries other expressions
 * is resolved on its first publish instead.
 */
export async function ensureTemplateLockfiles(options: {
  root: string;
  set: PackSet;
  log: (message: string) => void;
}): Promise<void> {
  for (const [template, json] of skeletonPackageJsons(options.root)) {
    const dir = mkdtempSync(join(tmpdir(), `stackyard-lockfile-${template}-`));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ ...json, name: template }),
      );
      if (vendorPacks(dir, options.set).length > 0) {
        await writeLockfile(dir, options.set, options.log);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
