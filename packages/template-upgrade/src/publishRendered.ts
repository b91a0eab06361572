import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { authorEnv, git, RECEIVE_PACK } from './git';
import { PRISTINE_BRANCH } from './origin';
import { findTemplateVersion, renderTemplate } from './renderTemplate';

const DEFAULT_AUTHOR = { name: 'Stackyard', email: 'stackyard@localhost' };

/**
 * Creates a repository of one render of a template version, as
 * stackyard:publish:local leaves it (without packing): the render is the
 * first commit of main, which the pristine branch also points at (unless
 * `pristine: false`, as before origins were recorded), and its files are
 * checked out, updated by pushes. For checks and benchmarks of upgrades.
 */
export async function publishRendered(options: {
  templateDirs: string[];
  template: string;
  version: string;
  answers: Record<string, unknown>;
  repoDir: string;
  pristine?: boolean;
  author?: { name: string; email: string };
}): Promise<string> {
  const author = options.author ?? DEFAULT_AUTHOR;
  const { repoDir } = options;
  mkdirSync(repoDir, { recursive: true });
  const source = mkdtempSync(join(tmpdir(), 'stackyard-publish-'));
  try {
    await renderTemplate({
      template: findTemplateVersion(
        options.templateDirs,
        options.template,
        options.version,
      ),
      answers: options.answers,
      outDir: source,
    });
    await git(['init', '--quiet', '--initial-branch', 'main', repoDir]);
    await git([
      '-C',
      repoDir,
      'config',
      'receive.denyCurrentBranch',
      'updateInstead',
    ]);
    await git(['init', '--quiet', '--initial-branch', 'main'], { cwd: source });
    await git(['add', '--all', '--', '.'], { cwd: source });
    await git(['commit', '--quiet', '--no-verify', '-m', 'Initial commit'], {
      cwd: source,
      env: authorEnv(author),
    });
    const refs = ['HEAD:refs/heads/main'];
    if (options.pristine !== false)
      refs.push(`HEAD:refs/heads/${PRISTINE_BRANCH}`);
    await git(['push', '--quiet', RECEIVE_PACK, repoDir, ...refs], {
      cwd: source,
    });
    return await git(['rev-parse', 'HEAD'], { cwd: source });
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
}

/** Commits what `change` does to a clone of `repoDir`'s main and pushes it. */
export async function commitToMain(
  repoDir: string,
  change: (dir: string) => void,
  message = 'Service change',
  author = DEFAULT_AUTHOR,
): Promise<string> {
  const clone = mkdtempSync(join(tmpdir(), 'stackyard-edit-'));
  try {
    await git(['clone', '--quiet', '--', repoDir, clone]);
    change(clone);
    await git(['add', '--all', '--', '.'], { cwd: clone });
    await git(['commit', '--quiet', '--no-verify', '-m', message], {
      cwd: clone,
      env: authorEnv(author),
    });
    await git(
      ['push', '--quiet', RECEIVE_PACK, 'origin', 'HEAD:refs/heads/main'],
      {
        cwd: clone,
      },
    );
    return await git(['rev-parse', 'HEAD'], { cwd: clone });
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}
