import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { git } from './git';
import { PRISTINE_BRANCH } from './origin';
import { adoptService } from './adoptService';
import { AnswerValidationError } from './answers';
import { upgradeService } from './upgradeService';
import { commitToMain, publishRendered } from './publishRendered';

// Real git and npm processes: seconds each on a busy machine.
jest.setTimeout(60_000);

const fixtures = join(__dirname, '__fixtures__');
const templateDirs = [join(fixtures, 'templates')];
const answers = { name: 'orders', owner: 'group:default/team-a' };

describe('upgradeService (real git repositories)', () => {
  let root: string;
  let repoDir: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-upgrade-test-'));
    repoDir = join(root, 'orders');
    await publishRendered({
      templateDirs,
      template: 'tiny',
      version: '1.0.0',
      answers,
      repoDir,
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const show = (ref: string, path: string) =>
    git(['show', `${ref}:${path}`], { cwd: repoDir });
  const mainHead = () =>
    git(['rev-parse', 'refs/heads/main'], { cwd: repoDir });

  it('merges the new version cleanly, keeps the service edit and runs its tests', async () => {
    await commitToMain(repoDir, dir =>
      writeFileSync(
        join(dir, 'handler.js'),
        "exports.handler = async () => 'ok';\nexports.healthy = () => true;\n",
      ),
    );
    await commitToMain(repoDir, dir =>
      writeFileSync(
        join(dir, 'README.md'),
        '# orders\n\nMade from tiny.\n\nOwned by team A.\n',
      ),
    );
    const before = await mainHead();
    const progress: string[] = [];
    const result = await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
      onProgress: e => progress.push(e.stage),
    });
    expect(result).toMatchObject({
      template: 'tiny',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      branch: 'stackyard/upgrade-1.1.0',
      conflicts: [],
      testsPassed: true,
      policyPassed: null,
      defaultedAnswers: ['retries'],
    });
    const branch = result.branch;
    expect(await show(branch, 'settings.yaml')).toBe(
      'name: orders\nowner: group:default/team-a\ntimeout: 30\nmemory: 128\nretries: 3',
    );
    expect(await show(branch, 'README.md')).toContain('Owned by team A.');
    expect(JSON.parse(await show(branch, '.stackyard/template.json'))).toEqual({
      template: 'tiny',
      version: '1.1.0',
      answers: { ...answers },
    });
    // The pristine branch holds the plain render of 1.1.0.
    expect(await show(PRISTINE_BRANCH, 'README.md')).not.toContain('team A');
    expect(await show(PRISTINE_BRANCH, 'settings.yaml')).toContain(
      'timeout: 30',
    );
    // Nothing on the default branch, nor its checked-out files, changed.
    expect(await mainHead()).toBe(before);
    expect(readFileSync(join(repoDir, 'settings.yaml'), 'utf8')).toContain(
      'timeout: 10',
    );
    expect(progress).toEqual(
      expect.arrayContaining(['read', 'render', 'merge', 'tests', 'push']),
    );
    // The branch descends from main: a fast-forward merge for the owners.
    await expect(
      git(['merge-base', '--is-ancestor', before, branch], { cwd: repoDir }),
    ).resolves.toBe('');
  });

  it('leaves conflict markers when the service edited the same lines, and touches no default branch', async () => {
    await commitToMain(repoDir, dir => {
      const file = join(dir, 'settings.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('timeout: 10', 'timeout: 20'),
      );
    });
    const before = await mainHead();
    const result = await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
    });
    expect(result.conflicts).toEqual(['settings.yaml']);
    expect(result.conflictDetails).toEqual([
      { path: 'settings.yaml', kind: 'content' },
    ]);
    expect(result.testsPassed).toBeNull();
    expect(result.policyPassed).toBeNull();
    const merged = await show(result.branch, 'settings.yaml');
    expect(merged).toMatch(
      /^<<<<<<< .*\ntimeout: 20\n=======\ntimeout: 30\n>>>>>>> /m,
    );
    // Lines only the template changed merge in around the conflict.
    expect(await show(result.branch, 'handler.js')).toContain('healthy');
    const message = await git(['log', '-1', '--format=%B', result.branch], {
      cwd: repoDir,
    });
    expect(message).toContain('settings.yaml: both changed the same lines');
    expect(result.log.join('\n')).toContain('1 conflict(s)');
    expect(await mainHead()).toBe(before);
    expect(readFileSync(join(repoDir, 'settings.yaml'), 'utf8')).toContain(
      'timeout: 20',
    );
  });

  it('keeps a file the service deleted deleted when the new version changes it, and says so', async () => {
    await commitToMain(repoDir, dir => unlinkSync(join(dir, 'handler.js')));
    const result = await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
    });
    expect(result.conflictDetails).toEqual([
      { path: 'handler.js', kind: 'deleted' },
    ]);
    expect(result.conflicts).toEqual(['handler.js']);
    await expect(show(result.branch, 'handler.js')).rejects.toThrow();
    expect(await show(result.branch, 'settings.yaml')).toContain('timeout: 30');
    expect(result.log.join('\n')).toContain(
      'handler.js: the service deleted it and the new version changes it (kept deleted)',
    );
  });

  it('refuses answers the new version no longer accepts, with what to fix, and changes nothing', async () => {
    const refsBefore = await git(['for-each-ref'], { cwd: repoDir });
    const error = await upgradeService({
      repoDir,
      templateDirs: [join(fixtures, 'templates-next')],
      runPolicy: false,
      runTests: false,
    }).catch(e => e);
    expect(error).toBeInstanceOf(AnswerValidationError);
    expect(error.message).toContain('version 2.0.0');
    expect(error.message).toContain('name "orders" does not match pattern');
    expect(await git(['for-each-ref'], { cwd: repoDir })).toBe(refsBefore);
    // A corrected answer is taken and recorded.
    const result = await upgradeService({
      repoDir,
      templateDirs: [join(fixtures, 'templates-next')],
      answers: { name: 'order' },
      runPolicy: false,
      runTests: false,
    });
    expect(
      JSON.parse(await show(result.branch, '.stackyard/template.json')).answers
        .name,
    ).toBe('order');
  });

  it('asks authorize about the template, versions and entity before rendering, and changes nothing when it refuses', async () => {
    await commitToMain(repoDir, dir =>
      writeFileSync(
        join(dir, 'catalog-info.yaml'),
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  owner: group:default/team-a\n',
      ),
    );
    const refsBefore = await git(['for-each-ref'], { cwd: repoDir });
    const asked: unknown[] = [];
    const progress: string[] = [];
    const error = await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
      runTests: false,
      onProgress: e => progress.push(e.message),
      authorize: async subject => {
        asked.push(subject);
        throw new Error('refused');
      },
    }).catch(e => e);
    expect(error.message).toBe('refused');
    expect(asked).toEqual([
      {
        template: 'tiny',
        fromVersion: '1.0.0',
        toVersion: '1.1.0',
        entityRef: 'component:default/orders',
      },
    ]);
    expect(progress).toEqual([]);
    expect(await git(['for-each-ref'], { cwd: repoDir })).toBe(refsBefore);
    // Refused before the version is compared: nothing is told.
    const notNewer = await upgradeService({
      repoDir,
      templateDirs,
      toVersion: '1.0.0',
      authorize: async () => {
        throw new Error('refused');
      },
    }).catch(e => e);
    expect(notNewer.message).toBe('refused');
  });

  it('refuses a second upgrade to the same version while its branch exists, and a version not newer', async () => {
    await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
      runTests: false,
    });
    await expect(
      upgradeService({
        repoDir,
        templateDirs,
        runPolicy: false,
        runTests: false,
      }),
    ).rejects.toThrow('already has a branch stackyard/upgrade-1.1.0');
    await expect(
      upgradeService({
        repoDir,
        templateDirs,
        toVersion: '1.0.0',
        runTests: false,
      }),
    ).rejects.toThrow('1.0.0 is not newer');
  });

  it("runs none of the repository's hooks, not even those receiving the push", async () => {
    const marker = join(root, 'hook-ran');
    mkdirSync(join(repoDir, '.git', 'hooks'), { recursive: true });
    for (const hook of [
      'pre-receive',
      'update',
      'post-receive',
      'reference-transaction',
    ]) {
      writeFileSync(
        join(repoDir, '.git', 'hooks', hook),
        `#!/bin/sh\necho ${hook} >> ${marker}\n`,
        {
          mode: 0o755,
        },
      );
    }
    const result = await upgradeService({
      repoDir,
      templateDirs,
      runPolicy: false,
      runTests: false,
    });
    expect(await git(['rev-parse', result.branch], { cwd: repoDir })).toBe(
      result.commit,
    );
    expect(existsSync(marker)).toBe(false);
    // A push that does not switch them off runs them: the hooks work.
    await git(
      ['push', '--quiet', repoDir, `${result.branch}:refs/heads/copy`],
      {
        cwd: repoDir,
      },
    );
    expect(readFileSync(marker, 'utf8')).toContain('pre-receive');
  });

  it('pushes nothing when another upgrade moved the pristine branch meanwhile', async () => {
    // Another upgrade's render lands on stackyard/template first.
    const clone = mkdtempSync(join(tmpdir(), 'stackyard-race-'));
    try {
      await git([
        'clone',
        '--quiet',
        '--branch',
        PRISTINE_BRANCH,
        '--',
        repoDir,
        clone,
      ]);
      writeFileSync(join(clone, 'README.md'), '# raced\n');
      await git(['add', 'README.md'], { cwd: clone });
      await git(['commit', '--quiet', '--no-verify', '-m', 'Raced'], {
        cwd: clone,
        env: {
          GIT_AUTHOR_NAME: 'A',
          GIT_AUTHOR_EMAIL: 'a@b.c',
          GIT_COMMITTER_NAME: 'A',
          GIT_COMMITTER_EMAIL: 'a@b.c',
        },
      });
      const racing = await git(['rev-parse', 'HEAD'], { cwd: clone });
      const before = await git(['rev-parse', PRISTINE_BRANCH], {
        cwd: repoDir,
      });
      // Between this upgrade's clone and its push: afterMerge runs there.
      const error = await upgradeService({
        repoDir,
        templateDirs,
        runPolicy: false,
        runTests: false,
        afterMerge: async () => {
          await git(
            ['push', '--quiet', 'origin', `HEAD:refs/heads/${PRISTINE_BRANCH}`],
            { cwd: clone },
          );
        },
      }).catch(e => e);
      expect(before).not.toBe(racing);
      expect(error.message).toContain(
        'nothing was pushed, run the upgrade again',
      );
      expect(await git(['rev-parse', PRISTINE_BRANCH], { cwd: repoDir })).toBe(
        racing,
      );
      await expect(
        git(['rev-parse', '--verify', 'refs/heads/stackyard/upgrade-1.1.0'], {
          cwd: repoDir,
        }),
      ).rejects.toThrow();
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('adopts a repository without a pristine branch by rendering its recorded version once', async () => {
    const adopted = join(root, 'legacy');
    await publishRendered({
      templateDirs,
      template: 'tiny',
      version: '1.0.0',
      answers,
      repoDir: adopted,
      pristine: false,
    });
    await commitToMain(adopted, dir =>
      writeFileSync(join(dir, 'README.md'), '# legacy\n\nOwn words.\n'),
    );
    const result = await upgradeService({
      repoDir: adopted,
      templateDirs,
      runPolicy: false,
      runTests: false,
    });
    expect(result.conflicts).toEqual([]);
    expect(result.log.join('\n')).toContain('rendered 1.0.0 once');
    const settings = await git(['show', `${result.branch}:settings.yaml`], {
      cwd: adopted,
    });
    expect(settings).toContain('timeout: 30');
    const readme = await git(['show', `${result.branch}:README.md`], {
      cwd: adopted,
    });
    expect(readme).toBe('# legacy\n\nOwn words.');
  });

  it('adoptService pushes the render of the named version as the pristine branch, once', async () => {
    const adopted = join(root, 'legacy');
    await publishRendered({
      templateDirs,
      template: 'tiny',
      version: '1.0.0',
      answers,
      repoDir: adopted,
      pristine: false,
    });
    const { commit } = await adoptService({
      repoDir: adopted,
      templateDirs,
      template: 'tiny',
      version: '1.0.0',
      answers,
    });
    expect(await git(['rev-parse', PRISTINE_BRANCH], { cwd: adopted })).toBe(
      commit,
    );
    expect(existsSync(join(adopted, 'settings.yaml'))).toBe(true);
    await expect(
      adoptService({
        repoDir: adopted,
        templateDirs,
        template: 'tiny',
        version: '1.0.0',
        answers,
      }),
    ).rejects.toThrow('already has a stackyard/template branch');
  });
});
