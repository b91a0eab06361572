import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LoopbackGitHub } from './LoopbackGitHub';
import { LoopbackGitLab } from './LoopbackGitLab';

const exec = promisify(execFile);
const WRITE = 'write-token-1';
const READ = 'read-token-1';

/** git with the token as basic-auth password through GIT_CONFIG_* (never in the URL). */
function git(args: string[], cwd: string, token?: string) {
  const header = token
    ? {
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
          `x-access-token:${token}`,
        ).toString('base64')}`,
      }
    : {};
  return exec('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      ...header,
    },
  });
}

describe('loopback Git hosts', () => {
  let work: string;
  let seed: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'loopback-git-hosts-test-'));
    seed = join(work, 'seed');
    await git(['init', '--quiet', '-b', 'main', seed], work);
    writeFileSync(join(seed, 'README.md'), 'hello\n');
    await git(['add', '.'], seed);
    await git(['commit', '--quiet', '-m', 'first'], seed);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('loopback GitHub', () => {
    let github: LoopbackGitHub;
    beforeEach(async () => {
      github = await LoopbackGitHub.start({
        tokens: { [WRITE]: 'write', [READ]: 'read' },
      });
      github.createRepository('acme/orders', seed);
    });
    afterEach(() => github.close());

    it('serves real git over smart HTTP: clone and push with a write token, push refused with a read token, nothing without one', async () => {
      const url = `${github.url}/acme/orders.git`;
      const clone = join(work, 'gh-clone');
      await expect(git(['clone', '--quiet', url, clone], work)).rejects.toThrow(
        /Authentication failed|could not read Username/,
      );
      await git(['clone', '--quiet', url, clone], work, READ);
      await git(['checkout', '--quiet', '-b', 'feature'], clone);
      writeFileSync(join(clone, 'b.txt'), 'b\n');
      await git(['add', '.'], clone);
      await git(['commit', '--quiet', '-m', 'b'], clone);
      await expect(
        git(['push', '--quiet', 'origin', 'feature'], clone, READ),
      ).rejects.toThrow(/403/);
      expect(github.branchCommit('acme/orders', 'feature')).toBeUndefined();
      await git(['push', '--quiet', 'origin', 'feature'], clone, WRITE);
      expect(github.branchCommit('acme/orders', 'feature')).toBe(
        (await git(['rev-parse', 'HEAD'], clone)).stdout.trim(),
      );
      rmSync(clone, { recursive: true, force: true });
    });

    it('answers the pulls API like GitHub: create, list by head, 422 for a second one, 401 and 403', async () => {
      const api = (path: string, token: string, init: RequestInit = {}) =>
        fetch(`${github.apiBaseUrl}${path}`, {
          ...init,
          headers: { Authorization: `Bearer ${token}` },
        });
      const repo = await (await api('/repos/acme/orders', READ)).json();
      expect(repo).toMatchObject({
        default_branch: 'main',
        clone_url: `${github.url}/acme/orders.git`,
      });
      expect((await api('/repos/acme/orders', 'nope')).status).toBe(401);
      const create = {
        method: 'POST',
        body: JSON.stringify({ title: 'T', head: 'main', base: 'main' }),
      };
      expect((await api('/repos/acme/orders/pulls', READ, create)).status).toBe(
        403,
      );
      const missing = await api('/repos/acme/orders/pulls', WRITE, {
        method: 'POST',
        body: JSON.stringify({ title: 'T', head: 'gone', base: 'main' }),
      });
      expect(missing.status).toBe(422);
      const created = await api('/repos/acme/orders/pulls', WRITE, create);
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        number: 1,
        html_url: `${github.url}/acme/orders/pull/1`,
      });
      const again = await api('/repos/acme/orders/pulls', WRITE, create);
      expect(again.status).toBe(422);
      expect(JSON.stringify(await again.json())).toContain('already exists');
      const listed = await api(
        '/repos/acme/orders/pulls?head=acme:main&state=open',
        READ,
      );
      expect((await listed.json()).map((p: any) => p.number)).toEqual([1]);
    });
  });

  describe('loopback GitLab', () => {
    let gitlab: LoopbackGitLab;
    beforeEach(async () => {
      gitlab = await LoopbackGitLab.start({
        tokens: { [WRITE]: 'write', [READ]: 'read' },
      });
      gitlab.createRepository('platform/services/orders', seed);
    });
    afterEach(() => gitlab.close());

    it('serves nested projects over smart HTTP and answers merge requests like GitLab', async () => {
      const clone = join(work, 'gl-clone');
      await git(
        [
          'clone',
          '--quiet',
          `${gitlab.url}/platform/services/orders.git`,
          clone,
        ],
        work,
        WRITE,
      );
      await git(['push', '--quiet', 'origin', 'main:feature'], clone, WRITE);
      rmSync(clone, { recursive: true, force: true });

      const id = encodeURIComponent('platform/services/orders');
      const api = (path: string, init: RequestInit = {}, token = WRITE) =>
        fetch(`${gitlab.apiBaseUrl}/projects/${id}${path}`, {
          ...init,
          headers: {
            'PRIVATE-TOKEN': token,
            'Content-Type': 'application/json',
          },
        });
      expect(await (await api('')).json()).toMatchObject({
        default_branch: 'main',
        http_url_to_repo: `${gitlab.url}/platform/services/orders.git`,
      });
      expect((await api('', {}, 'nope')).status).toBe(401);
      const create = {
        method: 'POST',
        body: JSON.stringify({
          title: 'T',
          source_branch: 'feature',
          target_branch: 'main',
          description: 'D',
        }),
      };
      expect((await api('/merge_requests', create, READ)).status).toBe(403);
      const created = await api('/merge_requests', create);
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        iid: 1,
        web_url: `${gitlab.url}/platform/services/orders/-/merge_requests/1`,
      });
      expect((await api('/merge_requests', create)).status).toBe(409);
      const listed = await api(
        '/merge_requests?source_branch=feature&state=opened',
      );
      expect((await listed.json()).map((mr: any) => mr.iid)).toEqual([1]);
    });
  });
});
