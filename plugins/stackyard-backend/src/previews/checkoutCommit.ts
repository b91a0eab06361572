import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { git } from '@stackyard/template-upgrade';

const COMMIT = /^[0-9a-f]{7,64}$/i;

/**
 * A clean checkout of `commit` of the repository at `repoDir` in
 * `checkoutDir`: a clone of its own (`--no-hardlinks`, so nothing is shared
 * with the published repository), detached at the commit. Never the
 * repository's working copy, which anyone who can push may change. An
 * existing checkout already at the commit is kept (a restart or wake).
 */
export async function checkoutCommit(options: {
  repoDir: string;
  commit: string;
  checkoutDir: string;
}): Promise<void> {
  const { repoDir, commit, checkoutDir } = options;
  if (!COMMIT.test(commit)) {
    throw new Error(`commit ${JSON.stringify(commit)} is not a git commit id`);
  }
  if (existsSync(checkoutDir)) {
    const head = await git(['rev-parse', 'HEAD'], { cwd: checkoutDir }).catch(
      () => '',
    );
    const status = head
      ? await git(['status', '--porcelain'], { cwd: checkoutDir }).catch(
          () => 'x',
        )
      : 'x';
    if (head.startsWith(commit.toLowerCase()) && status === '') return;
    await rm(checkoutDir, { recursive: true, force: true });
  }
  await git([
    'clone',
    '--no-hardlinks',
    '--no-checkout',
    '--quiet',
    '--',
    repoDir,
    checkoutDir,
  ]);
  await git(['checkout', '--quiet', '--detach', commit, '--'], {
    cwd: checkoutDir,
  });
}
