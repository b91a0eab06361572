import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ConflictError } from '@backstage/errors';
import { git, RECEIVE_PACK } from './git';
import { PRISTINE_BRANCH, checkVersion } from './origin';
import { commitRender } from './pristine';
import { findTemplateVersion } from './renderTemplate';

/**
 * Adopts a repository generated before origins were recorded: renders the
 * version it was made from once, with the given answers, and pushes that
 * render as the pristine branch `stackyard/template` (a commit of its own;
 * the first upgrade records it as an ancestor on its upgrade branch). The
 * default branch is not touched. Returns the pristine commit.
 */
export async function adoptService(options: {
  repoDir: string;
  templateDirs: readonly string[];
  template: string;
  version: string;
  answers: Record<string, unknown>;
  author?: { name: string; email: string };
}): Promise<{ commit: string }> {
  checkVersion(options.version);
  const template = findTemplateVersion(
    options.templateDirs,
    options.template,
    options.version,
  );
  const scratch = mkdtempSync(join(tmpdir(), 'stackyard-adopt-'));
  const clone = join(scratch, 'repo');
  try {
    await git([
      'clone',
      '--quiet',
      '--no-checkout',
      '--',
      resolve(options.repoDir),
      clone,
    ]);
    const existing = await git(
      ['ls-remote', '--heads', 'origin', PRISTINE_BRANCH],
      { cwd: clone },
    );
    if (existing) {
      throw new ConflictError(
        `The repository already has a ${PRISTINE_BRANCH} branch`,
      );
    }
    const { commit } = await commitRender({
      repo: clone,
      template,
      answers: options.answers,
      message: `Render ${template.name} ${template.version} (adopted)`,
      author: options.author ?? {
        name: 'Stackyard',
        email: 'stackyard@localhost',
      },
      scratch,
    });
    await git(
      [
        'push',
        '--quiet',
        RECEIVE_PACK,
        'origin',
        `${commit}:refs/heads/${PRISTINE_BRANCH}`,
      ],
      { cwd: clone },
    );
    return { commit };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
