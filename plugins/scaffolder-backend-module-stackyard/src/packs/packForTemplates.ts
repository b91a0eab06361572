import { type PackSet, ensurePacks } from './packCache';
import { templateDependencyNames } from './templateDependencies';
import { ensureTemplateLockfiles } from './templateLockfiles';
import { listWorkspacePackages } from './workspacePackages';

/**
 * Everything stackyard:publish:local needs for the templates of `root`,
 * made ahead (`npm run pack:stackyard`, `npm start`): the packs of the
 * workspace packages their skeletons depend on, and each skeleton's
 * lockfile. Both are cached, so a second call with unchanged sources
 * returns at once.
 */
export async function packForTemplates(options: {
  root: string;
  log: (message: string) => void;
}): Promise<PackSet> {
  const workspace = listWorkspacePackages(options.root);
  const set = await ensurePacks({
    root: options.root,
    names: templateDependencyNames(options.root).filter(name =>
      workspace.has(name),
    ),
    log: options.log,
  });
  await ensureTemplateLockfiles({ root: options.root, set, log: options.log });
  return set;
}
