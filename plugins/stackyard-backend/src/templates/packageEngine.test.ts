import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { commitToMain, publishRendered } from '@stackyard/template-upgrade';
import { packageUpgradeEngine } from './packageEngine';

// Real git, a real render and the service's own `npm test`.
jest.setTimeout(120_000);

/** The engine's own small template, at 1.1.0 with 1.0.0 in versions/. */
const tinyDir = join(
  dirname(require.resolve('@stackyard/template-upgrade/package.json')),
  'src/__fixtures__/templates/tiny',
);

describe('packageUpgradeEngine (real git repository, @stackyard/template-upgrade)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-backend-upgrade-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("merges the template folder's current version into the upgrade branch, keeping the service's edit and main", async () => {
    const repoDir = join(root, 'orders');
    await publishRendered({
      templateDirs: [dirname(tinyDir)],
      template: 'tiny',
      version: '1.0.0',
      answers: { name: 'orders', owner: 'group:default/team-a' },
      repoDir,
    });
    const main = await commitToMain(repoDir, dir =>
      writeFileSync(
        join(dir, 'README.md'),
        `${readFileSync(join(dir, 'README.md'), 'utf8')}\nOwned by team A.\n`,
      ),
    );
    const steps: string[] = [];
    const result = await packageUpgradeEngine()({
      repoDir,
      templateDir: tinyDir,
      templateName: 'tiny',
      toVersion: '1.1.0',
      onProgress: step => steps.push(step),
    });
    expect(result).toMatchObject({
      branch: 'stackyard/upgrade-1.1.0',
      conflicts: [],
      testsPassed: true,
    });
    expect(steps.length).toBeGreaterThan(2);
    const show = (path: string) =>
      execFileSync('git', ['show', `stackyard/upgrade-1.1.0:${path}`], {
        cwd: repoDir,
        encoding: 'utf8',
      });
    expect(JSON.parse(show('.stackyard/template.json'))).toMatchObject({
      template: 'tiny',
      version: '1.1.0',
    });
    expect(show('README.md')).toContain('Owned by team A.');
    expect(
      execFileSync('git', ['rev-parse', 'main'], {
        cwd: repoDir,
        encoding: 'utf8',
      }).trim(),
    ).toBe(main);
  });
});
