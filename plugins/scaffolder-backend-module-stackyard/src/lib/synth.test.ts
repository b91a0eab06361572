import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { SandboxPool, SandboxResultCache } from '@stackyard/cdk-guardrails';
import { createCdkDeployAction } from '../actions/cdkDeploy';
import { createCdkSynthAction } from '../actions/cdkSynth';
import type { CdkDeployer } from '../deploy/CdkDeployer';
import { FakeCatalog, FakeStackyardEnvironments } from '../__testUtils__/fakes';
import { readStackyardActionsConfig } from './config';
import type { ServiceExtensions } from './extensions';
import { loadServiceManifest, synthesizeService } from './synth';

jest.setTimeout(180_000);

/** The guardrails' fixture: a manifest plus an extension adding a topic and a raw queue without DLQ. */
const EXTENDED = resolve(
  require.resolve('@stackyard/cdk-guardrails/package.json'),
  '../fixtures/extended-service',
);

const REUSED =
  /^Reusing the sandbox synthesis of lg-dev from \d+\.\d s ago \(same files, prefix, stage and environment, as in this task's synth step\); the safety policy checks it again$/;

describe('synthesizeService with a manifest extension and a cache of sandbox syntheses', () => {
  const root = mkdtempSync(join(tmpdir(), 'synth-reuse-test-'));
  const sandbox = SandboxPool.create({ tmpRoot: root });
  let extensions: ServiceExtensions;
  let jobs: jest.SpyInstance;
  let workspace: string;

  beforeEach(() => {
    extensions = {
      sandbox,
      catalog: { getEntityByRef: async () => undefined },
      syntheses: new SandboxResultCache(),
    };
    jobs = jest.spyOn(sandbox, 'run');
    workspace = mkdtempSync(join(root, 'ws-'));
    cpSync(EXTENDED, workspace, { recursive: true });
  });
  afterEach(() => jobs.mockRestore());
  afterAll(async () => {
    await sandbox.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('synthesizes the same app once, logs the reuse and reports the findings both times', async () => {
    const synth = (logger = mockServices.logger.mock()) =>
      synthesizeService({
        dir: workspace,
        manifest: loadServiceManifest(workspace),
        prefix: 'lg',
        stage: 'dev',
        logger,
        extensions,
      });
    const first = await synth();
    const logger = mockServices.logger.mock();
    const second = await synth(logger);
    expect(jobs).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(REUSED));
    for (const { findings } of [first, second]) {
      expect(findings).toEqual([
        expect.objectContaining({ rule: 'SY-SQS-DLQ', stack: 'lg-dev' }),
      ]);
    }
    expect(second.result.templates).toEqual(first.result.templates);
  });

  it("lets the deploy step reuse the synth step's sandbox run, and still fails it on the raw queue without DLQ", async () => {
    const input = { appDir: '.', prefix: 'lg', stage: 'dev' };
    const synthCtx = createMockActionContext({
      input,
      workspacePath: workspace,
    });
    const synthError = await createCdkSynthAction({ extensions })
      .handler(synthCtx)
      .catch(e => e);
    expect(synthError.message).toMatch(/The safety policy found 1 problem/);

    const catalog = new FakeCatalog().serve('component:default/ledger');
    const environments = new FakeStackyardEnvironments();
    const deploy = createCdkDeployAction({
      config: readStackyardActionsConfig(
        new ConfigReader({
          app: { baseUrl: 'http://portal.test' },
          stackyard: { targets: [{ name: 'local', type: 'local' }] },
        }),
      ),
      environments,
      deployer: {} as CdkDeployer,
      extensions,
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
      }),
      auth: catalog.auth,
      discovery: catalog.discovery,
      fetchApi: catalog.fetchApi,
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: {
        ...input,
        entityRef: 'component:default/ledger',
        target: 'local',
        approveBroadening: false,
      },
      workspacePath: workspace,
      logger,
    });
    const error = await deploy.handler(ctx).catch(e => e);
    expect(jobs).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(REUSED));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /The safety policy found 1 problem\(s\):\n.*SY-SQS-DLQ lg-dev\/RawQueue\/Resource/,
    );
    expect(environments.registrations).toEqual([]);
  });
});
