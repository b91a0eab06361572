import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ConflictError, InputError } from '@backstage/errors';
import { describeConflict, settleConflicts } from './conflicts';
import { authorEnv, git, GitError, RECEIVE_PACK } from './git';
import {
  ORIGIN_FILE,
  PRISTINE_BRANCH,
  checkVersion,
  readOrigin,
  upgradeBranchName,
} from './origin';
import { checkPolicy } from './checkPolicy';
import { commitRender } from './pristine';
import { findTemplateVersion } from './renderTemplate';
import { entityRefOf } from './entityRef';
import { inferOrigin } from './inferOrigin';
import { defaultTestEnv, runServiceTests } from './runServiceTests';
import {
  TemplateOrigin,
  UpgradeResult,
  UpgradeServiceOptions,
  UpgradeStage,
} from './types';

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const DEFAULT_AUTHOR = { name: 'Stackyard', email: 'stackyard@localhost' };

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b` (x.y.z). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

async function refExists(repo: string, ref: string): Promise<boolean> {
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: repo,
    });
    return true;
  } catch {
    return false;
  }
}

async function showFile(repo: string, ref: string, path: string) {
  try {
    return await git(['show', `${ref}:${path}`], { cwd: repo });
  } catch (e) {
    if (e instanceof GitError) return undefined;
    throw e;
  }
}

async function readOriginAt(repo: string, ref: string) {
  try {
    return readOrigin(
      await git(['show', `${ref}:${ORIGIN_FILE}`], { cwd: repo }),
    );
  } catch (e) {
    if (e instanceof GitError) return undefined;
    throw e;
  }
}

/**
 * Upgrades a repository generated from a Stackyard template to a newer
 * version of it. In a clone of the repository (its own work tree is never
 * touched): renders the new version with the answers `.stackyard/template.json`
 * records, commits that render on the pristine branch `stackyard/template`,
 * and merges it with git's three-way merge into `stackyard/upgrade-<version>`,
 * started from the default branch. Conflicts are committed with their
 * markers and listed file by file. Then synth + the safety policy and the
 * service's own tests run on the result, and the two branches are pushed to
 * the repository — never forced, the default branch never touched. A
 * repository without the pristine branch (made before origins were
 * recorded) is adopted on the way: its recorded version is rendered once.
 */
export async function upgradeService(
  options: UpgradeServiceOptions,
): Promise<UpgradeResult> {
  const log: string[] = [];
  const timings: Partial<Record<UpgradeStage, number>> = {};
  const say = (stage: UpgradeStage, message: string) => {
    log.push(message);
    options.onProgress?.({ stage, message });
  };
  const timed = async <T>(stage: UpgradeStage, fn: () => Promise<T>) => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + Date.now() - started;
    }
  };
  const author = options.author ?? DEFAULT_AUTHOR;
  const repoDir = resolve(options.repoDir);
  if (options.baseBranch !== undefined && !BRANCH.test(options.baseBranch)) {
    throw new InputError(
      `baseBranch ${JSON.stringify(options.baseBranch)} is not a branch name`,
    );
  }
  if (options.toVersion !== undefined) checkVersion(options.toVersion);

  const scratch = mkdtempSync(join(tmpdir(), 'stackyard-upgrade-'));
  const clone = join(scratch, 'repo');
  try {
    const read = await timed('read', async () => {
      try {
        await git(['clone', '--quiet', '--no-checkout', '--', repoDir, clone]);
      } catch (e) {
        throw new InputError(
          `${repoDir} is not a git repository that can be cloned: ${
            (e as Error).message
          }`,
        );
      }
      const base =
        options.baseBranch ??
        (
          await git(['symbolic-ref', '--short', 'refs/remotes/origin/HEAD'], {
            cwd: clone,
          })
        ).replace(/^origin\//, '');
      if (!(await refExists(clone, `origin/${base}`))) {
        throw new InputError(`The repository has no branch ${base}`);
      }
      const hasPristine = await refExists(clone, `origin/${PRISTINE_BRANCH}`);
      const recorded = await readOriginAt(clone, `origin/${base}`);
      const catalogInfo = await showFile(
        clone,
        `origin/${base}`,
        'catalog-info.yaml',
      );
      const origin: TemplateOrigin | undefined =
        recorded ??
        (hasPristine
          ? await readOriginAt(clone, `origin/${PRISTINE_BRANCH}`)
          : inferOrigin({
              catalogInfo,
              manifest: await showFile(
                clone,
                `origin/${base}`,
                'stackyard.yaml',
              ),
            }));
      if (!origin) {
        throw new InputError(
          `The repository records no template origin (${ORIGIN_FILE} on ${base}, or a stackyard.io/template annotation in catalog-info.yaml): adopt it first, naming its template, version and answers`,
        );
      }
      return {
        base,
        hasPristine,
        origin,
        hasOriginFile: recorded !== undefined,
        entityRef: entityRefOf(catalogInfo),
      };
    });
    const { base, origin } = read;
    const target = findTemplateVersion(
      options.templateDirs,
      origin.template,
      options.toVersion,
    );
    // Before anything is rendered, committed or pushed, or told about it.
    await options.authorize?.({
      template: origin.template,
      fromVersion: origin.version,
      toVersion: target.version,
      ...(read.entityRef ? { entityRef: read.entityRef } : {}),
    });
    if (compareVersions(target.version, origin.version) <= 0) {
      throw new ConflictError(
        `The repository is on ${origin.template} ${origin.version}; ${target.version} is not newer`,
      );
    }
    const branch = upgradeBranchName(target.version);
    if (await refExists(clone, `origin/${branch}`)) {
      throw new ConflictError(
        `The repository already has a branch ${branch}: merge or delete it before upgrading again`,
      );
    }
    say(
      'read',
      `${origin.template} ${origin.version} → ${target.version} (from ${base})`,
    );

    const rendered = await timed('render', async () => {
      let oldPristine: string;
      if (read.hasPristine) {
        oldPristine = await git(['rev-parse', `origin/${PRISTINE_BRANCH}`], {
          cwd: clone,
        });
      } else {
        const old = findTemplateVersion(
          options.templateDirs,
          origin.template,
          origin.version,
        );
        oldPristine = (
          await commitRender({
            repo: clone,
            template: old,
            answers: origin.answers,
            // Not in a repository made before origins were recorded: the
            // new version adds it, rather than changing a file it deleted.
            omit: read.hasOriginFile ? [] : [ORIGIN_FILE],
            message: `Render ${origin.template} ${origin.version} (adopted)`,
            author,
            scratch,
          })
        ).commit;
        say(
          'render',
          `No ${PRISTINE_BRANCH} branch: rendered ${
            origin.version
          } once to merge against${
            read.hasOriginFile
              ? ''
              : ` (origin read from catalog-info.yaml and stackyard.yaml)`
          }`,
        );
      }
      const next = await commitRender({
        repo: clone,
        template: target,
        answers: origin.answers,
        overrides: options.answers,
        parent: oldPristine,
        message: `Render ${origin.template} ${target.version}`,
        author,
        scratch,
      });
      await git(['branch', '--force', PRISTINE_BRANCH, next.commit], {
        cwd: clone,
      });
      if (next.defaulted.length > 0) {
        say(
          'render',
          `New questions answered with their defaults: ${next.defaulted.join(
            ', ',
          )}`,
        );
      }
      say('render', `Rendered ${target.version} on ${PRISTINE_BRANCH}`);
      return { oldPristine, ...next };
    });

    const conflicts = await timed('merge', async () => {
      await git(['checkout', '--quiet', '-b', branch, `origin/${base}`], {
        cwd: clone,
      });
      const env = authorEnv(author);
      const isAncestor = await git(
        ['merge-base', '--is-ancestor', rendered.oldPristine, 'HEAD'],
        { cwd: clone },
      ).then(
        () => true,
        () => false,
      );
      if (!isAncestor) {
        // Adopted: the old render becomes an ancestor, changing no file.
        await git(
          [
            'merge',
            '--quiet',
            '--no-verify',
            '--allow-unrelated-histories',
            '--strategy',
            'ours',
            '-m',
            `Record ${origin.template} ${origin.version} as this repository's template render`,
            rendered.oldPristine,
          ],
          { cwd: clone, env },
        );
      }
      const message = `Upgrade ${origin.template} from ${origin.version} to ${target.version}`;
      let clean = true;
      try {
        await git(
          [
            'merge',
            '--no-ff',
            '--no-verify',
            '--no-edit',
            '-m',
            message,
            PRISTINE_BRANCH,
          ],
          { cwd: clone, env },
        );
      } catch (e) {
        if (!(e instanceof GitError) || e.code !== 1) throw e;
        clean = false;
      }
      if (clean) {
        say(
          'merge',
          `Merged ${target.version} into ${branch} with no conflicts`,
        );
        return [];
      }
      const settled = await settleConflicts(clone);
      if (settled.length === 0) {
        throw new Error('git merge failed without conflicts');
      }
      await git(
        [
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          `${message}\n\nConflicts to resolve:\n${settled
            .map(c => `- ${describeConflict(c)}`)
            .join('\n')}`,
        ],
        { cwd: clone, env },
      );
      say(
        'merge',
        `Merged ${target.version} into ${branch} with ${settled.length} conflict(s):`,
      );
      for (const conflict of settled)
        say('merge', `  ${describeConflict(conflict)}`);
      return settled;
    });

    if (options.afterMerge && conflicts.length > 0) {
      say(
        'merge',
        'Follow-up steps (e.g. packing) not run: resolve the conflicts first',
      );
    } else if (options.afterMerge) {
      const changedFiles = (
        await git(['diff', '--name-only', `origin/${base}`, 'HEAD'], {
          cwd: clone,
        })
      )
        .split('\n')
        .filter(Boolean);
      await options.afterMerge(clone, { changedFiles });
      const changed = await git(['status', '--porcelain'], { cwd: clone });
      if (changed) {
        await git(['add', '--all', '--', '.'], { cwd: clone });
        await git(
          [
            'commit',
            '--quiet',
            '--no-verify',
            '-m',
            'Update packed dependencies after the template upgrade',
          ],
          { cwd: clone, env: authorEnv(author) },
        );
        say('merge', 'Committed the packed dependencies again');
      }
    }

    let policyPassed: boolean | null = null;
    let testsPassed: boolean | null = null;
    if (conflicts.length > 0) {
      say('policy', 'Policy and tests not run: resolve the conflicts first');
    } else {
      if (options.runPolicy !== false) {
        policyPassed = await timed('policy', async () => {
          const result = await checkPolicy(clone, options.sandbox);
          for (const line of result.lines) say('policy', line);
          return result.passed;
        });
      }
      if (options.runTests !== false) {
        testsPassed = await timed('tests', async () => {
          const result = await runServiceTests(clone, {
            timeoutMs: options.testTimeoutMs,
            env: { ...defaultTestEnv(), ...options.testEnv },
            sandboxDir: join(scratch, 'test'),
          });
          const tail = result.output.trim().split('\n').slice(-30).join('\n');
          if (result.passed === null) {
            say(
              'tests',
              `The service's tests were not run: ${result.output.replace(
                /^Not run: /,
                '',
              )}`,
            );
          } else if (result.passed) {
            say(
              'tests',
              `The service's tests passed in a sandbox (${result.files.length} file(s), ${result.durationMs} ms)`,
            );
          } else {
            say(
              'tests',
              `The service's tests failed (exit ${result.code}):\n${tail}`,
            );
          }
          return result.passed;
        });
      }
    }

    const commit = await timed('push', async () => {
      // Both branches or neither; never forced, so an upgrade that raced
      // this one and pushed first wins and this one is refused.
      try {
        await git(
          [
            'push',
            '--quiet',
            '--atomic',
            RECEIVE_PACK,
            '--no-verify',
            'origin',
            `refs/heads/${PRISTINE_BRANCH}:refs/heads/${PRISTINE_BRANCH}`,
            `refs/heads/${branch}:refs/heads/${branch}`,
          ],
          { cwd: clone },
        );
      } catch (e) {
        if (/rejected|non-fast-forward|fetch first/.test(String(e))) {
          throw new ConflictError(
            `Another change reached ${PRISTINE_BRANCH} or ${branch} while upgrading; nothing was pushed, run the upgrade again`,
          );
        }
        throw e;
      }
      return git(['rev-parse', 'HEAD'], { cwd: clone });
    });
    say(
      'push',
      `Pushed ${branch} (${commit.slice(0, 12)}) and ${PRISTINE_BRANCH}`,
    );
    return {
      template: origin.template,
      fromVersion: origin.version,
      toVersion: target.version,
      branch,
      commit,
      conflicts: conflicts.map(c => c.path),
      conflictDetails: conflicts,
      testsPassed,
      policyPassed,
      defaultedAnswers: rendered.defaulted,
      log,
      timings,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
