import { execFileSync } from 'child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  findTemplateVersion,
  git,
  renderTemplate,
} from '@stackyard/template-upgrade';
import { LoopbackGitHub } from '@stackyard/test-support';
import yaml from 'yaml';
import { readStackyardActionsConfig } from '../lib/config';
import { createTemplateUpgradeAction } from './templateUpgrade';
import { examples } from './templateUpgrade.examples';

jest.setTimeout(120_000);

const templateDirs = [resolve(__dirname, '../../../../templates')];
/** serverless-service's current version, what an upgrade goes to by default. */
const LATEST = '1.2.0';
const inputOf = (i: number) => yaml.parse(examples[i].example).steps[0].input;
const author = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
};

/** serverless-service 1.0.0 published as stackyard:publish:local leaves it, plus an edit of its owners. */
async function publishOrders(publishDir: string) {
  const repoPath = join(publishDir, 'orders');
  await renderTemplate({
    template: findTemplateVersion(templateDirs, 'serverless-service', '1.0.0'),
    answers: {
      name: 'orders',
      description: 'Orders',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
      project: 'orders',
      costCenter: 'cc-1',
    },
    outDir: repoPath,
  });
  const run = (...args: string[]) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
      cwd: repoPath,
      env: { ...author, PATH: process.env.PATH },
    });
  run('init', '--quiet', '--initial-branch', 'main');
  run('config', 'receive.denyCurrentBranch', 'updateInstead');
  run('add', '--all');
  run('commit', '--quiet', '-m', 'Initial commit');
  run('branch', 'stackyard/template');
  const readme = join(repoPath, 'README.md');
  writeFileSync(readme, `${readFileSync(readme, 'utf8')}\nOn call: team A.\n`);
  run('commit', '--quiet', '-am', 'Say who is on call');
  return repoPath;
}

const eve = mockCredentials.user('user:default/eve');
const tina = mockCredentials.user('user:default/tina');

/** A task started by `user`. */
const startedBy = <C extends { getInitiatorCredentials: unknown }>(
  user: BackstageCredentials,
  ctx: C,
): C => ({ ...ctx, getInitiatorCredentials: async () => user });

describe('stackyard:template:upgrade (real git, real templates)', () => {
  let publishDir: string;
  let action: ReturnType<typeof createTemplateUpgradeAction>;
  /**
   * The permission framework's answers: eve owns nothing, tina owns only
   * the serverless-service template, everybody else owns the entity.
   */
  let permissions: ReturnType<typeof mockServices.permissions.mock>;
  beforeEach(() => {
    publishDir = mkdtempSync(join(tmpdir(), 'stackyard-upgrades-'));
    permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) => {
        const user = (credentials.principal as { userEntityRef?: string })
          .userEntityRef;
        return requests.map(r => ({
          result:
            user === 'user:default/eve' ||
            (user === 'user:default/tina' &&
              (r as { resourceRef?: string }).resourceRef !==
                'template:default/serverless-service')
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })) as any;
      },
    });
    action = createTemplateUpgradeAction({
      config: readStackyardActionsConfig(
        new ConfigReader({
          stackyard: { scaffolder: { localPublishDirectory: publishDir } },
        }),
      ),
      permissions,
      templateDirs,
    });
  });
  afterEach(() => rmSync(publishDir, { recursive: true, force: true }));

  it("runs the first example: serverless-service 1.0.0 → current, the owners' edit kept, tests and policy pass", async () => {
    const repoPath = await publishOrders(publishDir);
    const main = await git(['-C', repoPath, 'rev-parse', 'main']);
    const ctx = createMockActionContext({
      input: inputOf(0),
      workspacePath: publishDir,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'branch',
      `stackyard/upgrade-${LATEST}`,
    );
    expect(ctx.output).toHaveBeenCalledWith('fromVersion', '1.0.0');
    expect(ctx.output).toHaveBeenCalledWith('conflicts', []);
    expect(ctx.output).toHaveBeenCalledWith('policyPassed', true);
    expect(ctx.output).toHaveBeenCalledWith('testsPassed', true);
    const manifest = await git([
      '-C',
      repoPath,
      'show',
      `stackyard/upgrade-${LATEST}:stackyard.yaml`,
    ]);
    // Both versions since 1.0.0 merged: 1.1.0's alarms, 1.2.0's HTTP route.
    expect(manifest).toContain('maxMessageAgeMinutes: 15');
    expect(manifest).toContain('POST /jobs: intake');
    const readme = await git([
      '-C',
      repoPath,
      'show',
      `stackyard/upgrade-${LATEST}:README.md`,
    ]);
    expect(readme).toContain('On call: team A.');
    expect(await git(['-C', repoPath, 'rev-parse', 'main'])).toBe(main);
  });

  it('runs the second example: the given answer is recorded, tests not run', async () => {
    const repoPath = await publishOrders(publishDir);
    const ctx = createMockActionContext({
      input: inputOf(1),
      workspacePath: publishDir,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('testsPassed', null);
    const origin = JSON.parse(
      await git([
        '-C',
        repoPath,
        'show',
        'stackyard/upgrade-1.1.0:.stackyard/template.json',
      ]),
    );
    expect(origin).toMatchObject({
      version: '1.1.0',
      answers: { owner: 'group:default/team-b', maxJobAgeMinutes: 15 },
    });
  });

  it("upgrades a repository whose main packs this monorepo's packages (as publish:local's second commit does): the packing stays out of the merge and is redone for the merged package.json", async () => {
    const repoPath = await publishOrders(publishDir);
    const run = (...args: string[]) =>
      execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
        cwd: repoPath,
        env: { ...author, PATH: process.env.PATH },
      });
    const pkgFile = join(repoPath, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    pkg.devDependencies['@stackyard/cdk-guardrails'] =
      'file:vendor/stackyard/stackyard-cdk-guardrails-0.1.0.tgz';
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    mkdirSync(join(repoPath, 'vendor/stackyard'), { recursive: true });
    writeFileSync(
      join(repoPath, 'vendor/stackyard/stackyard-cdk-guardrails-0.1.0.tgz'),
      'tarball',
    );
    writeFileSync(
      join(repoPath, 'package-lock.json'),
      '{"lockfileVersion":3}\n',
    );
    run('add', '--all');
    run(
      'commit',
      '--quiet',
      '-m',
      "Pack this monorepo's packages into vendor/stackyard",
    );
    const show = (ref: string, path: string) =>
      git(['-C', repoPath, 'show', `${ref}:${path}`]);
    const ctx = createMockActionContext({
      input: { repoName: 'orders', runTests: false },
      workspacePath: publishDir,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('conflicts', []);
    expect(ctx.output).toHaveBeenCalledWith('policyPassed', true);
    const branch = `stackyard/upgrade-${LATEST}`;
    // The new version's package.json change is merged, and the packed
    // dependencies are main's kind: file: specs of tarballs on the branch.
    const merged = JSON.parse(await show(branch, 'package.json'));
    expect(merged.scripts.test).toBe('node --test test/*.test.js');
    const packed = Object.entries(
      merged.devDependencies as Record<string, string>,
    ).filter(([name]) => name.startsWith('@stackyard/'));
    expect(packed.length).toBeGreaterThan(0);
    for (const [, spec] of packed) {
      expect(spec).toMatch(/^file:vendor\/stackyard\/.+\.tgz$/);
      await expect(
        show(branch, spec.slice('file:'.length)),
      ).resolves.toBeDefined();
    }
    JSON.parse(await show(branch, 'package-lock.json'));
    expect(await show(branch, 'stackyard.yaml')).toContain(
      'maxMessageAgeMinutes: 15',
    );
  });

  it('adopts a repository generated before origins were recorded, reading its answers from catalog-info.yaml and stackyard.yaml', async () => {
    const repoPath = await publishOrders(publishDir);
    const run = (...args: string[]) =>
      execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
        cwd: repoPath,
        env: { ...author, PATH: process.env.PATH },
      });
    run('rm', '--quiet', '-r', '.stackyard');
    run('commit', '--quiet', '-m', 'As generated before origins were recorded');
    run('branch', '--quiet', '-D', 'stackyard/template');
    const ctx = createMockActionContext({
      input: { repoName: 'orders', runTests: false },
      workspacePath: publishDir,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('conflicts', []);
    const branch = `stackyard/upgrade-${LATEST}`;
    const origin = JSON.parse(
      await git(['-C', repoPath, 'show', `${branch}:.stackyard/template.json`]),
    );
    expect(origin).toEqual({
      template: 'serverless-service',
      version: LATEST,
      answers: {
        name: 'orders',
        description: 'Orders',
        owner: 'group:default/team-a',
        system: 'system:default/shop',
        project: 'orders',
        costCenter: 'cc-1',
        maxJobAgeMinutes: 15,
      },
    });
    expect(
      await git(['-C', repoPath, 'show', `${branch}:README.md`]),
    ).toContain('On call: team A.');
    expect(
      await git(['-C', repoPath, 'show', `${branch}:stackyard.yaml`]),
    ).toContain('maxMessageAgeMinutes: 15');
  });

  describe("on behalf of the task's initiator", () => {
    const refs = async (repoPath: string) =>
      git([
        '-C',
        repoPath,
        'for-each-ref',
        '--format=%(refname) %(objectname)',
      ]);

    it('refuses an initiator who owns neither the entity nor its template: the task fails and the repository has no upgrade branch', async () => {
      const repoPath = await publishOrders(publishDir);
      const before = await refs(repoPath);
      const ctx = startedBy(
        eve,
        createMockActionContext({
          input: inputOf(0),
          workspacePath: publishDir,
        }),
      );
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'You may not upgrade component:default/orders: that needs the stackyard.template.upgrade permission (granted to its owners and to the owners of template:default/serverless-service)',
      );
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'stackyard.template.upgrade',
            }),
            resourceRef: 'component:default/orders',
          },
          {
            permission: expect.objectContaining({
              name: 'stackyard.template.upgrade',
            }),
            resourceRef: 'template:default/serverless-service',
          },
        ],
        { credentials: eve },
      );
      expect(await refs(repoPath)).toBe(before);
      expect(before).not.toContain('stackyard/upgrade-');
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it("lets the template's owners upgrade an entity they do not own", async () => {
      const repoPath = await publishOrders(publishDir);
      const ctx = startedBy(
        tina,
        createMockActionContext({
          input: { repoName: 'orders', runTests: false },
          workspacePath: publishDir,
        }),
      );
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'branch',
        `stackyard/upgrade-${LATEST}`,
      );
      expect(await refs(repoPath)).toContain(
        `refs/heads/stackyard/upgrade-${LATEST}`,
      );
    });

    it("refuses an entityRef that is not the repository's entity before deciding anything, so no other entity's permission can stand in", async () => {
      const repoPath = await publishOrders(publishDir);
      const before = await refs(repoPath);
      const error = await action
        .handler(
          createMockActionContext({
            input: {
              repoName: 'orders',
              entityRef: 'component:default/mine',
              runTests: false,
            },
            workspacePath: publishDir,
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'entityRef "component:default/mine" is not the entity of repository "orders": its catalog-info.yaml describes component:default/orders',
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(await refs(repoPath)).toBe(before);
    });

    it('refuses a repository that describes no entity: who may upgrade it is not known', async () => {
      const repoPath = await publishOrders(publishDir);
      execFileSync(
        'git',
        [
          '-c',
          'core.hooksPath=/dev/null',
          'rm',
          '--quiet',
          'catalog-info.yaml',
        ],
        { cwd: repoPath },
      );
      execFileSync(
        'git',
        [
          '-c',
          'core.hooksPath=/dev/null',
          'commit',
          '--quiet',
          '-m',
          'No entity',
        ],
        { cwd: repoPath, env: { ...author, PATH: process.env.PATH } },
      );
      const before = await refs(repoPath);
      const error = await action
        .handler(
          createMockActionContext({
            input: { repoName: 'orders', runTests: false },
            workspacePath: publishDir,
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^Repository "orders" describes no entity in catalog-info.yaml/,
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(await refs(repoPath)).toBe(before);
    });
  });

  describe('on a loopback GitHub', () => {
    const TOKEN = 'loopback-action-token-8d21f0';
    let github: LoopbackGitHub;
    let hosted: ReturnType<typeof createTemplateUpgradeAction>;
    beforeEach(async () => {
      github = await LoopbackGitHub.start({ tokens: { [TOKEN]: 'write' } });
      hosted = createTemplateUpgradeAction({
        config: readStackyardActionsConfig(new ConfigReader({})),
        permissions,
        templateDirs,
        integrations: ScmIntegrations.fromConfig(
          new ConfigReader({
            integrations: { github: [github.integrationConfig(TOKEN)] },
          }),
        ),
      });
    });
    afterEach(() => github.close());

    /** The third example, its github.com the loopback host. */
    const hostedContext = () => {
      const input = inputOf(2);
      const ctx = createMockActionContext({
        input: {
          ...input,
          repoUrl: input.repoUrl.replace('github.com', github.host),
        },
        workspacePath: publishDir,
      });
      const logged: unknown[] = [];
      for (const level of ['info', 'warn', 'error'] as const) {
        jest
          .spyOn(ctx.logger, level)
          .mockImplementation((...args: unknown[]) => {
            logged.push(args);
            return ctx.logger;
          });
      }
      return { ctx, logged };
    };

    it('runs the third example: the branch is pushed to the host, a pull request opened and its URL output; run again, the same pull request; main untouched', async () => {
      github.createRepository('acme/orders', await publishOrders(publishDir));
      const main = github.branchCommit('acme/orders', 'main');
      const first = hostedContext();
      await hosted.handler(first.ctx);
      const url = `${github.url}/acme/orders/pull/1`;
      expect(first.ctx.output).toHaveBeenCalledWith('pullRequestUrl', url);
      expect(first.ctx.output).toHaveBeenCalledWith('conflicts', []);
      expect(first.ctx.output).toHaveBeenCalledWith('testsPassed', true);
      expect(first.ctx.output).toHaveBeenCalledWith('policyPassed', true);
      expect(github.pulls[0].body).toContain(
        `**serverless-service** 1.0.0 to **${LATEST}**`,
      );
      expect(
        await git([
          '-C',
          github.repositoryDir('acme/orders'),
          'show',
          `stackyard/upgrade-${LATEST}:README.md`,
        ]),
      ).toContain('On call: team A.');

      const second = hostedContext();
      await hosted.handler(second.ctx);
      expect(second.ctx.output).toHaveBeenCalledWith('pullRequestUrl', url);
      expect(github.pulls).toHaveLength(1);
      expect(github.branchCommit('acme/orders', 'main')).toBe(main);
      expect(JSON.stringify([first.logged, second.logged])).toContain(url);
      expect(JSON.stringify([first.logged, second.logged])).not.toContain(
        TOKEN,
      );
    });

    it('refuses an initiator who owns neither the entity nor its template: no branch on the host, no pull request', async () => {
      github.createRepository('acme/orders', await publishOrders(publishDir));
      const { ctx } = hostedContext();
      const error = await hosted.handler(startedBy(eve, ctx)).catch(e => e);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toMatch(
        /^You may not upgrade component:default\/orders/,
      );
      expect(
        github.branchCommit('acme/orders', `stackyard/upgrade-${LATEST}`),
      ).toBeUndefined();
      expect(github.pulls).toHaveLength(0);
    });
  });

  it.each([
    [
      { repoUrl: 'github.com?owner=a&repo=b' },
      InputError,
      /need the integrations/,
    ],
    [
      { repoName: 'orders', repoUrl: 'github.com?owner=a&repo=b' },
      InputError,
      /Give either repoName/,
    ],
    [{ repoName: '../etc' }, InputError, /repoName "..\/etc" is not allowed/],
    [{ repoName: 'missing' }, NotFoundError, /No repository "missing"/],
  ])('refuses %j', async (input, type, message) => {
    const error = await action
      .handler(
        createMockActionContext({
          input: { runTests: true, ...input },
          workspacePath: publishDir,
        }),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });
});
