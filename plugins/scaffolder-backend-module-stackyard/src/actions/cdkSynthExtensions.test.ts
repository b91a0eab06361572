import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { SandboxPool } from '@stackyard/cdk-guardrails';
import type { TemplateCatalog } from '../lib/extensions';
import { createCdkSynthAction } from './cdkSynth';

jest.setTimeout(180_000);

/** The guardrails' fixture: a manifest plus an extension adding a topic and a raw queue without DLQ. */
const EXTENDED = resolve(
  require.resolve('@stackyard/cdk-guardrails/package.json'),
  '../fixtures/extended-service',
);
const SECRET = 'stackyard-test-secret-9f8e7d6c5b4a';

function outputOf(ctx: { output: unknown }, name: string) {
  return (ctx.output as jest.Mock).mock.calls.find(([n]) => n === name)?.[1];
}

/** Everything a task shows: outputs, log lines (with their metadata) and the error. */
function shown(
  ctx: { output: unknown },
  logger: ReturnType<typeof mockServices.logger.mock>,
  error: unknown,
): string {
  const logged = (['info', 'warn', 'error', 'debug'] as const).flatMap(
    level => (logger[level] as jest.Mock).mock.calls,
  );
  return JSON.stringify([
    (ctx.output as jest.Mock).mock.calls,
    logged,
    String((error as Error)?.message),
    String((error as Error)?.stack),
  ]);
}

describe('stackyard:cdk:synth with a manifest extension (repository code runs in a sandbox, not in the backend)', () => {
  const root = mkdtempSync(join(tmpdir(), 'cdk-synth-extensions-test-'));
  const sandbox = SandboxPool.create({ tmpRoot: root });
  const registered = new Set(['template:default/serverless-service']);
  const catalog: TemplateCatalog & { calls: unknown[] } = {
    calls: [],
    async getEntityByRef(ref, options) {
      this.calls.push([ref, options.credentials]);
      return registered.has(ref) ? { kind: 'Template' } : undefined;
    },
  };
  const action = createCdkSynthAction({ extensions: { sandbox, catalog } });
  let workspace: string;

  beforeAll(() => {
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  });
  afterAll(async () => {
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await sandbox.close();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    workspace = mkdtempSync(join(root, 'ws-'));
    cpSync(EXTENDED, workspace, { recursive: true });
    catalog.calls.length = 0;
  });

  it("keeps the extension from the backend's files and environment, and still synthesizes and checks what it adds", async () => {
    const marker = join(root, 'escaped-marker');
    writeFileSync(
      join(workspace, 'infra/extend.js'),
      `const fs = require('fs');
const sqs = require('aws-cdk-lib/aws-sqs');
const extend = require('./extend-legit.js');
module.exports = (service, context) => {
  try { fs.writeFileSync(${JSON.stringify(marker)}, 'escaped'); } catch {}
  // Whatever it reads of the environment ends up in the template.
  service.stack.templateOptions.description = 'env: ' + JSON.stringify(process.env);
  extend(service, context);
};`,
    );
    cpSync(
      join(EXTENDED, 'infra/extend.js'),
      join(workspace, 'infra/extend-legit.js'),
    );
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'lg', stage: 'dev' },
      workspacePath: workspace,
      logger,
    });
    const error = await action.handler(ctx).catch(e => e);

    expect(existsSync(marker)).toBe(false);
    expect(shown(ctx, logger, error)).not.toContain(SECRET);
    // The extension's constructs were synthesized and judged here.
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/The safety policy found 1 problem\(s\)/);
    expect(outputOf(ctx, 'findings')).toEqual([
      expect.objectContaining({
        rule: 'SY-SQS-DLQ',
        stack: 'lg-dev',
        path: 'RawQueue/Resource',
      }),
    ]);
    expect(outputOf(ctx, 'resourceCounts')['lg-dev']).toBeGreaterThan(5);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Synthesized lg-dev: \d+ resources \(.*1 AWS::SNS::Topic.*\)$/,
      ),
    );
  });

  it("reports an extension's error by its first line, without the backend's environment", async () => {
    writeFileSync(
      join(workspace, 'infra/extend.js'),
      `module.exports = () => { throw new Error('boom ' + Object.keys(process.env).join(',') + (process.env.AWS_SECRET_ACCESS_KEY || '') + '\\n' + JSON.stringify(process.env)); };`,
    );
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'lg', stage: 'dev' },
      workspacePath: workspace,
      logger,
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    // The sandbox's environment holds none of the backend's variables.
    expect(error.message).toBe(
      `service extension "infra/extend.js" (declared in ${join(
        workspace,
        'stackyard.yaml',
      )}): failed: boom NODE_ENV,TZ,LANG,TMPDIR,NODE_PATH,AWS_REGION,AWS_EC2_METADATA_DISABLED`,
    );
    expect(shown(ctx, logger, error)).not.toContain(SECRET);
  });

  it('refuses an extension whose code tries to start a process', async () => {
    const marker = join(root, 'spawned-marker');
    writeFileSync(
      join(workspace, 'infra/extend.js'),
      `module.exports = () => { require('child_process').execSync(${JSON.stringify(
        `touch ${marker}`,
      )}); };`,
    );
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'lg', stage: 'dev' },
      workspacePath: workspace,
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /failed: Access to this API has been restricted/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a manifest extension when the action has no sandbox', async () => {
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'lg', stage: 'dev' },
      workspacePath: workspace,
    });
    const error = await createCdkSynthAction()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'manifest extension "infra/extend.js" was not run: repository code runs only in a sandbox, and this action has none',
    );
  });

  describe('in a dry run (the template editor: template and files come from the request)', () => {
    // createMockActionContext leaves these two out.
    const dryRun = (name: string) => ({
      ...createMockActionContext({
        input: { appDir: '.', prefix: 'lg', stage: 'dev' },
        workspacePath: workspace,
        templateInfo: {
          // What the scaffolder gives every dry run.
          entityRef: 'template:default/dry-run',
          entity: { metadata: { name } },
        },
      }),
      isDryRun: true,
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/someone'),
    });

    it('refuses the extension of a template that is not registered in the catalog', async () => {
      const marker = join(root, 'dry-run-marker');
      writeFileSync(
        join(workspace, 'infra/extend.js'),
        `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`,
      );
      const ctx = dryRun('my-own-template');
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `manifest extensions run only for templates registered in the catalog; this dry run's template "template:default/my-own-template" is not, so its extension "infra/extend.js" was not run`,
      );
      expect(catalog.calls).toEqual([
        [
          'template:default/my-own-template',
          mockCredentials.user('user:default/someone'),
        ],
      ]);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(existsSync(marker)).toBe(false);
    });

    it('runs the extension, sandboxed, for a registered template', async () => {
      const ctx = dryRun('serverless-service');
      const error = await action.handler(ctx).catch(e => e);
      expect(error.message).toMatch(/The safety policy found 1 problem/);
      expect(outputOf(ctx, 'stackNames')).toEqual(['lg-dev']);
      expect(catalog.calls).toHaveLength(1);
    });
  });
});
