import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { LoopbackGitHub, LoopbackGitLab } from '@stackyard/test-support';
import { git } from '../git';
import { PRISTINE_BRANCH } from '../origin';
import { commitToMain, publishRendered } from '../publishRendered';
import { upgradeHostedService } from './upgradeHostedService';

// Real git processes, a loopback host and the service's npm test.
jest.setTimeout(90_000);

const templateDirs = [join(__dirname, '..', '__fixtures__', 'templates')];
const answers = { name: 'orders', owner: 'group:default/team-a' };
const TOKEN = 'loopback-secret-token-4f1c9a';
const PUSH_ONLY = 'loopback-push-only-token-77ab';
const READ_ONLY = 'loopback-read-only-token-51de';
const BRANCH = 'stackyard/upgrade-1.1.0';

/** Everything a run showed: its progress, its result's log, or its error. */
function shown(progress: string[], outcome: unknown): string {
  return JSON.stringify({
    progress,
    outcome:
      outcome instanceof Error
        ? { message: outcome.message, stack: outcome.stack }
        : outcome,
  });
}

describe('upgradeHostedService', () => {
  let root: string;
  let repoDir: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-hosted-upgrade-test-'));
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

  const editSettings = () =>
    commitToMain(repoDir, dir => {
      const file = join(dir, 'settings.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('timeout: 10', 'timeout: 20'),
      );
    });

  describe('on a loopback GitHub', () => {
    let github: LoopbackGitHub;
    const integrations = (token: string) =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: { github: [github.integrationConfig(token)] },
        }),
      );
    const upgrade = (token: string, progress: string[] = []) =>
      upgradeHostedService({
        repoUrl: `${github.host}?owner=acme&repo=orders`,
        integrations: integrations(token),
        templateDirs,
        runPolicy: false,
        onProgress: e => progress.push(e.message),
      });

    beforeEach(async () => {
      github = await LoopbackGitHub.start({
        tokens: { [TOKEN]: 'write', [PUSH_ONLY]: 'push', [READ_ONLY]: 'read' },
      });
    });
    afterEach(() => github.close());

    it('opens a pull request naming the version for a clean upgrade, leaves main alone, and returns it when run again', async () => {
      github.createRepository('acme/orders', repoDir);
      const main = github.branchCommit('acme/orders', 'main');
      const progress: string[] = [];
      const result = await upgrade(TOKEN, progress);

      expect(result).toMatchObject({
        fromVersion: '1.0.0',
        toVersion: '1.1.0',
        branch: BRANCH,
        conflicts: [],
        testsPassed: true,
        reused: false,
        pullRequest: { number: 1, url: `${github.url}/acme/orders/pull/1` },
      });
      expect(github.pulls).toHaveLength(1);
      const [pull] = github.pulls;
      expect(pull).toMatchObject({ head: BRANCH, base: 'main' });
      expect(pull.title).toBe('Upgrade tiny from 1.0.0 to 1.1.0');
      expect(pull.body).toContain('**tiny** 1.0.0 to **1.1.0**');
      expect(pull.body).toContain('None: the merge was clean.');
      expect(pull.body).toContain("The service's tests: passed");
      expect(pull.body).toContain('- retries');
      // The branches went to the host; its default branch did not move.
      expect(github.branchCommit('acme/orders', BRANCH)).toBe(result.commit);
      expect(github.branchCommit('acme/orders', PRISTINE_BRANCH)).toBeDefined();
      expect(github.branchCommit('acme/orders', 'main')).toBe(main);
      expect(progress.join('\n')).toContain(`Pull request: ${pull.html_url}`);

      const again: string[] = [];
      const second = await upgrade(TOKEN, again);
      expect(second).toMatchObject({
        reused: true,
        branch: BRANCH,
        commit: result.commit,
        pullRequest: { number: 1, url: pull.html_url },
      });
      expect(github.pulls).toHaveLength(1);
      expect(github.branchCommit('acme/orders', 'main')).toBe(main);
      // The token never showed, nor went in a URL.
      expect(shown([...progress, ...again], [result, second])).not.toContain(
        TOKEN,
      );
      expect(github.calls.map(c => c.path).join('\n')).not.toContain(TOKEN);
      expect(github.calls.some(c => c.path.includes('git-receive-pack'))).toBe(
        true,
      );
    });

    it('lists the conflicted files in the pull request; after a 403 on opening it, a re-run opens it from the pushed branch', async () => {
      await editSettings();
      github.createRepository('acme/orders', repoDir);
      const main = github.branchCommit('acme/orders', 'main');

      // A token that may push but not open pull requests.
      const progress: string[] = [];
      const refused = await upgrade(PUSH_ONLY, progress).catch(e => e);
      expect(refused).toBeInstanceOf(Error);
      expect(refused.name).toBe('NotAllowedError');
      expect(refused.message).toContain(
        `GitHub at ${github.host} answered 403`,
      );
      expect(refused.message).toContain('open a pull request');
      expect(shown(progress, refused)).not.toContain(PUSH_ONLY);
      expect(github.pulls).toHaveLength(0);
      const pushed = github.branchCommit('acme/orders', BRANCH);
      expect(pushed).toBeDefined();

      const result = await upgrade(TOKEN);
      expect(result).toMatchObject({
        reused: true,
        commit: pushed,
        conflicts: ['settings.yaml'],
        conflictDetails: [{ path: 'settings.yaml', kind: 'content' }],
      });
      const [pull] = github.pulls;
      expect(pull.title).toBe(
        'Upgrade tiny from 1.0.0 to 1.1.0 (conflicts to resolve)',
      );
      expect(pull.body).toContain('### Conflicts (1 file)');
      expect(pull.body).toContain(
        '- settings.yaml: both changed the same lines (conflict markers in the file)',
      );
      expect(pull.body).toContain(
        "The service's tests: not run: resolve the conflicts first",
      );
      expect(github.branchCommit('acme/orders', 'main')).toBe(main);
    });

    it('lists conflicts in the pull request of a first run', async () => {
      await editSettings();
      github.createRepository('acme/orders', repoDir);
      const result = await upgrade(TOKEN);
      expect(result.conflicts).toEqual(['settings.yaml']);
      expect(github.pulls[0].body).toContain(
        '- settings.yaml: both changed the same lines (conflict markers in the file)',
      );
      const merged = await git(['show', `refs/heads/${BRANCH}:settings.yaml`], {
        cwd: github.repositoryDir('acme/orders'),
      });
      expect(merged).toMatch(
        /^<<<<<<< .*\ntimeout: 20\n=======\ntimeout: 30\n>>>>>>> /m,
      );
    });

    it('names the host, never the token, when the API answers 401 or git refuses a push', async () => {
      github.createRepository('acme/orders', repoDir);
      const progress: string[] = [];
      const bad = await upgrade('not-a-token-9c2e', progress).catch(e => e);
      expect(bad.name).toBe('NotAllowedError');
      expect(bad.message).toContain(
        `GitHub at ${github.host} answered 401 to read the repository acme/orders: Bad credentials`,
      );
      expect(shown(progress, bad)).not.toContain('not-a-token-9c2e');

      const readOnly = await upgrade(READ_ONLY, progress).catch(e => e);
      expect(readOnly.name).toBe('NotAllowedError');
      expect(readOnly.message).toContain(
        `GitHub at ${github.host} refused the integration's token to push acme/orders`,
      );
      expect(shown(progress, readOnly)).not.toContain(READ_ONLY);
      expect(github.branchCommit('acme/orders', BRANCH)).toBeUndefined();
      expect(github.pulls).toHaveLength(0);
    });

    it('never sends the token to a clone URL the API names on another host', async () => {
      github.createRepository('acme/orders', repoDir);
      const elsewhere = await LoopbackGitHub.start({
        tokens: { [TOKEN]: 'write' },
      });
      try {
        elsewhere.createRepository('acme/orders', repoDir);
        github.cloneBaseUrl = elsewhere.url;
        const error = await upgrade(TOKEN).catch(e => e);
        expect(error.name).toBe('NotAllowedError');
        expect(error.message).toContain(
          `GitHub at ${github.host} gave the clone URL http://${elsewhere.host}/acme/orders.git, not on ${github.host}`,
        );
        expect(elsewhere.calls).toEqual([]);
        expect(github.calls.map(c => c.path)).toEqual([
          '/api/v3/repos/acme/orders',
        ]);
      } finally {
        await elsewhere.close();
      }
    });

    it('refuses a host without an integration before any request', async () => {
      await expect(
        upgradeHostedService({
          repoUrl: 'git.example.com?owner=acme&repo=orders',
          integrations: integrations(TOKEN),
          templateDirs,
        }),
      ).rejects.toThrow(
        /No GitHub or GitLab integration for host git\.example\.com/,
      );
      expect(github.calls).toHaveLength(0);
    });
  });

  describe('on a loopback GitLab', () => {
    let gitlab: LoopbackGitLab;
    const integrations = (token: string) =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: { gitlab: [gitlab.integrationConfig(token)] },
        }),
      );

    beforeEach(async () => {
      gitlab = await LoopbackGitLab.start({ tokens: { [TOKEN]: 'write' } });
      gitlab.createRepository('platform/services/orders', repoDir);
    });
    afterEach(() => gitlab.close());

    it('opens a merge request in a nested group naming the version, returns it when run again, main untouched', async () => {
      const main = gitlab.branchCommit('platform/services/orders', 'main');
      const progress: string[] = [];
      const result = await upgradeHostedService({
        repoUrl: `${gitlab.host}?owner=platform/services&repo=orders`,
        integrations: integrations(TOKEN),
        templateDirs,
        runPolicy: false,
        runTests: false,
        onProgress: e => progress.push(e.message),
      });
      const url = `${gitlab.url}/platform/services/orders/-/merge_requests/1`;
      expect(result.pullRequest).toEqual({ url, number: 1 });
      const [mr] = gitlab.mergeRequests;
      expect(mr).toMatchObject({
        source_branch: BRANCH,
        target_branch: 'main',
        title: 'Upgrade tiny from 1.0.0 to 1.1.0',
      });
      expect(mr.description).toContain('**tiny** 1.0.0 to **1.1.0**');
      expect(mr.description).toContain(
        "The service's tests: not run (turned off)",
      );
      expect(gitlab.branchCommit('platform/services/orders', BRANCH)).toBe(
        result.commit,
      );

      // The web URL form (an entity's source location) finds it too.
      const again = await upgradeHostedService({
        repoUrl: `${gitlab.url}/platform/services/orders/-/tree/main/`,
        integrations: integrations(TOKEN),
        templateDirs,
      });
      expect(again).toMatchObject({ reused: true, pullRequest: { url } });
      expect(gitlab.mergeRequests).toHaveLength(1);
      expect(gitlab.branchCommit('platform/services/orders', 'main')).toBe(
        main,
      );
      expect(shown(progress, [result, again])).not.toContain(TOKEN);
    });

    it('names the host, never the token, when the API answers 401', async () => {
      const error = await upgradeHostedService({
        repoUrl: `${gitlab.host}?owner=platform/services&repo=orders`,
        integrations: integrations('wrong-gitlab-token-3b7d'),
        templateDirs,
      }).catch(e => e);
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toContain(
        `GitLab at ${gitlab.host} answered 401 to read the project platform/services/orders: 401 Unauthorized`,
      );
      expect(shown([], error)).not.toContain('wrong-gitlab-token-3b7d');
    });
  });
});
