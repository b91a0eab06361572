import { mkdtempSync, rmSync } from 'fs';
import { join } from 'path';
import { authorEnv, git } from './git';
import { TemplateVersion, renderTemplate } from './renderTemplate';

/**
 * Renders `template` with `answers` and commits the result (and nothing
 * else: no work tree or index of the repository is touched) on top of
 * `parent`, or as a root commit without one. Returns the commit, and
 * whether its files differ from the parent's.
 */
export async function commitRender(options: {
  repo: string;
  template: TemplateVersion;
  answers: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  /** Rendered files to leave out of the commit. */
  omit?: readonly string[];
  parent?: string;
  message: string;
  author: { name: string; email: string };
  scratch: string;
}): Promise<{ commit: string; changed: boolean; defaulted: string[] }> {
  const { repo, parent } = options;
  const outDir = mkdtempSync(join(options.scratch, 'render-'));
  const index = join(options.scratch, `index-${Date.now()}-${Math.random()}`);
  try {
    const { defaulted } = await renderTemplate({
      template: options.template,
      answers: options.answers,
      overrides: options.overrides,
      outDir,
    });
    for (const path of options.omit ?? []) {
      rmSync(join(outDir, path), { force: true });
    }
    // A private index and the render as work tree: the tree of the render.
    const env = { GIT_INDEX_FILE: index, GIT_WORK_TREE: outDir };
    await git(['--git-dir', join(repo, '.git'), 'add', '--all', '--', '.'], {
      cwd: outDir,
      env,
    });
    const tree = await git(['--git-dir', join(repo, '.git'), 'write-tree'], {
      env,
    });
    if (parent) {
      const parentTree = await git(['rev-parse', `${parent}^{tree}`], {
        cwd: repo,
      });
      if (parentTree === tree) {
        return { commit: parent, changed: false, defaulted };
      }
    }
    const commit = await git(
      [
        'commit-tree',
        tree,
        ...(parent ? ['-p', parent] : []),
        '-m',
        options.message,
      ],
      { cwd: repo, env: authorEnv(options.author) },
    );
    return { commit, changed: true, defaulted };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(index, { force: true });
  }
}
