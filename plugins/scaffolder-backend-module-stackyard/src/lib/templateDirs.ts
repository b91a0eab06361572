import { join } from 'path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { findWorkspaceRoot } from '../packs/workspacePackages';

/**
 * Where the portal's templates live: `templates/` of the monorepo holding
 * this module (each template's current version, and its earlier versions in
 * `versions/<version>/`); none when the module runs outside it.
 */
export function monorepoTemplateDirs(): string[] {
  const root = findWorkspaceRoot(
    resolvePackagePath('@stackyard/plugin-scaffolder-backend-module-stackyard'),
  );
  return root ? [join(root, 'templates')] : [];
}
