import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { SandboxPool } from '@stackyard/cdk-guardrails';
import { commitToMain, publishRendered } from '@stackyard/template-upgrade';
import { LoopbackGitLab } from '@stackyard/test-support';
import { packageUpgradeEngine } from './packageEngine';

// Real git, a real render and the service's own `npm test`.
jest.setTimeout(120_000);

/** The engine's own small template, at 1.1.0 with 1.0.0 in versions/. */
const tinyDir = join(
  dirname(require.resolve('@stackyard/template-upgrade/package.json')),
  'src/__fixtures__/templates/tiny',
);
/** The portal's own templates. */
const templatesDir = join(__dirname, '../../../../templates');

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

  it('upgrades a repository on a loopback GitLab through a merge request, its URL in the result; knows which source locations it can reach', async () => {
    const token = 'loopback-backend-token-5e0a';
    const gitlab = await LoopbackGitLab.start({ tokens: { [token]: 'write' } });
    try {
      const repoDir = join(root, 'orders');
      await publishRendered({
        templateDirs: [dirname(tinyDir)],
        template: 'tiny',
        version: '1.0.0',
        answers: { name: 'orders', owner: 'group:default/team-a' },
        repoDir,
      });
      gitlab.createRepository('team-a/orders', repoDir);
      const engine = packageUpgradeEngine({
        integrations: ScmIntegrations.fromConfig(
          new ConfigReader({
            integrations: { gitlab: [gitlab.integrationConfig(token)] },
          }),
        ),
      });
      const sourceLocation = `${gitlab.url}/team-a/orders/-/tree/main/`;
      expect(engine.hostedRepositories?.(sourceLocation)).toBe(true);
      expect(
        engine.hostedRepositories?.(
          'https://bitbucket.org/team-a/orders/src/main/',
        ),
      ).toBe(false);
      const steps: string[] = [];
      const result = await engine({
        repoUrl: sourceLocation,
        templateDir: tinyDir,
        templateName: 'tiny',
        toVersion: '1.1.0',
        onProgress: step => steps.push(step),
      });
      const url = `${gitlab.url}/team-a/orders/-/merge_requests/1`;
      expect(result).toMatchObject({
        branch: 'stackyard/upgrade-1.1.0',
        conflicts: [],
        testsPassed: true,
        pullRequestUrl: url,
      });
      expect(gitlab.mergeRequests[0].description).toContain(
        '1.0.0 to **1.1.0**',
      );
      expect(steps).toContain(`Pull request: ${url}`);
      expect(steps.join('\n')).not.toContain(token);
    } finally {
      await gitlab.close();
    }
  });

  describe('a service whose manifest has an extension (repository code)', () => {
    let sandbox: SandboxPool;
    beforeAll(() => {
      sandbox = SandboxPool.create({ prewarm: false });
    });
    afterAll(() => sandbox.close());

    /** serverless-service 1.0.0 whose owners added an extension with a raw queue (no DLQ). */
    async function extendedOrders() {
      const repoDir = join(root, 'orders');
      await publishRendered({
        templateDirs: [templatesDir],
        template: 'serverless-service',
        version: '1.0.0',
        answers: {
          name: 'orders',
          description: 'Orders',
          owner: 'group:default/team-a',
          system: 'system:default/shop',
          project: 'orders',
          costCenter: 'cc-1',
        },
        repoDir,
      });
      await commitToMain(repoDir, dir => {
        appendFileSync(
          join(dir, 'stackyard.yaml'),
          '\nextension: infra/extend.js\n',
        );
        mkdirSync(join(dir, 'infra'), { recursive: true });
        writeFileSync(
          join(dir, 'infra/extend.js'),
          [
            "const sqs = require('aws-cdk-lib/aws-sqs');",
            'module.exports = service => {',
            "  new sqs.Queue(service.stack, 'RawQueue');",
            '};',
            '',
          ].join('\n'),
        );
      });
      return repoDir;
    }

    it("synthesizes it in the backend's sandbox pool, so the policy is checked on what the extension adds", async () => {
      const repoDir = await extendedOrders();
      const steps: string[] = [];
      const result = await packageUpgradeEngine({ sandbox })({
        repoDir,
        templateDir: join(templatesDir, 'serverless-service'),
        templateName: 'serverless-service',
        toVersion: '1.1.0',
        onProgress: step => steps.push(step),
      });
      expect(result).toMatchObject({ conflicts: [], policyPassed: false });
      const policy = steps.filter(step => /policy|RawQueue/i.test(step));
      expect(policy.some(step => step.includes('RawQueue'))).toBe(true);
      expect(steps.join('\n')).not.toContain('Policy not checked');
    });

    it('reports the policy not checked without a sandbox (what the adapter did before)', async () => {
      const repoDir = await extendedOrders();
      const steps: string[] = [];
      const result = await packageUpgradeEngine()({
        repoDir,
        templateDir: join(templatesDir, 'serverless-service'),
        templateName: 'serverless-service',
        toVersion: '1.1.0',
        onProgress: step => steps.push(step),
      });
      expect(result.policyPassed).toBe(false);
      expect(steps.join('\n')).toContain('Policy not checked');
    });
  });
});
