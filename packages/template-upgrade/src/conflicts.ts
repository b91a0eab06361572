import { git } from './git';
import { UpgradeConflict } from './types';

/**
 * Settles a merge that stopped on conflicts so it can be committed: files
 * both sides changed keep git's conflict markers; a file the service deleted
 * stays deleted; a file the new version removes but the service changed is
 * kept as the service has it. Returns every such file, one entry each.
 */
export async function settleConflicts(
  repo: string,
): Promise<UpgradeConflict[]> {
  const status = await git(['status', '--porcelain=v1', '-z'], { cwd: repo });
  const conflicts: UpgradeConflict[] = [];
  for (const entry of status.split('\0')) {
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    if (!path) continue;
    switch (code) {
      case 'UU':
        conflicts.push({ path, kind: 'content' });
        break;
      case 'AA':
      case 'AU':
      case 'UA':
        conflicts.push({ path, kind: 'added' });
        break;
      case 'DU':
        conflicts.push({ path, kind: 'deleted' });
        await git(['rm', '--quiet', '--force', '--', path], { cwd: repo });
        continue;
      case 'UD':
        conflicts.push({ path, kind: 'removed' });
        break;
      case 'DD':
        await git(['rm', '--quiet', '--force', '--', path], { cwd: repo });
        continue;
      default:
        continue;
    }
    await git(['add', '--', path], { cwd: repo });
  }
  return conflicts;
}

/** How a conflict reads in a commit message, task log or pull request. */
export function describeConflict(conflict: UpgradeConflict): string {
  switch (conflict.kind) {
    case 'content':
      return `${conflict.path}: both changed the same lines (conflict markers in the file)`;
    case 'added':
      return `${conflict.path}: both added it (conflict markers in the file)`;
    case 'deleted':
      return `${conflict.path}: the service deleted it and the new version changes it (kept deleted)`;
    case 'removed':
      return `${conflict.path}: the new version removes it and the service changed it (the service's file kept)`;
    default:
      return conflict.path;
  }
}
