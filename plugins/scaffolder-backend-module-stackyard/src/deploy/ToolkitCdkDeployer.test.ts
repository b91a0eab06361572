import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCdkDeployAction } from '../actions/cdkDeploy';
import { readStackyardActionsConfig } from '../lib/config';
import { loadServiceManifest, synthesizeService } from '../lib/synth';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { SandboxPool } from '@stackyard/cdk-guardrails';
import {
  FakeCatalog,
  FakeStackyardEnvironments,
  checkpointStore,
} from '../__testUtils__/fakes';
import { fixtureWorkspace } from '../__testUtils__/workspace';
import { ToolkitCdkDeployer } from './ToolkitCdkDeployer';

jest.setTimeout(180_000);

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const STACK = 'orders-7-dev';
const STATIC_CREDENTIALS = {
  accountId: ACCOUNT,
  accessKeyId: 'AKIASTACKYARDTEST',
  secretAccessKey: 'stackyard-test-secret',
};

const input = {
  appDir: '.',
  entityRef: 'component:default/orders',
  target: 'sandbox',
  stage: 'dev',
  prefix: 'orders-7',
  approveBroadening: true,
};

/** Every message a mocked logger got at a level. */
function lines(
  logger: ReturnType<typeof mockServices.logger.mock>,
  level: 'info' | 'error',
) {
  return (logger[level] as jest.Mock).mock.calls.map(c => String(c[0]));
}

describe('ToolkitCdkDeployer via stackyard:cdk:deploy (real synthesis; toolkit-lib deploys to a loopback endpoint speaking CloudFormation/S3/SSM/STS)', () => {
  let aws: LoopbackAws;
  let workspace: ReturnType<typeof fixtureWorkspace>;
  let environments: FakeStackyardEnvironments;

  function action(
    accounts: object[] = [STATIC_CREDENTIALS],
    {
      sandbox,
      entityRef = input.entityRef,
    }: { sandbox?: SandboxPool; entityRef?: string } = {},
  ) {
    const config = readStackyardActionsConfig(
      new ConfigReader({
        app: { baseUrl: 'http://portal.test' },
        stackyard: {
          targets: [
            {
              name: 'sandbox',
              type: 'aws',
              accountId: ACCOUNT,
              region: REGION,
              endpoint: aws.url,
            },
          ],
        },
      }),
    );
    const deployer = ToolkitCdkDeployer.fromConfig(
      new ConfigReader({ aws: { accounts } }),
      { stackEventPollingInterval: 20, sandbox },
    );
    const catalog = new FakeCatalog().serve(entityRef);
    return createCdkDeployAction({
      config,
      environments,
      deployer,
      // Extensions are synthesized in the sandbox; no dry run here, so the
      // template catalog is never asked.
      extensions: sandbox
        ? { sandbox, catalog: { getEntityByRef: async () => undefined } }
        : undefined,
      permissions: mockServices.permissions(),
      auth: catalog.auth,
      discovery: catalog.discovery,
      fetchApi: catalog.fetchApi,
    });
  }

  beforeEach(async () => {
    aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
    aws.bootstrap();
    workspace = fixtureWorkspace('orders');
    environments = new FakeStackyardEnvironments();
  });

  afterEach(async () => {
    await aws.stop();
    workspace.cleanup();
  });

  it('deploys through toolkit-lib against a loopback CloudFormation/S3/SSM/STS endpoint', async () => {
    aws.cloudFormation.reportedOutputs.set(STACK, {
      JobsQueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-7-dev-jobs`,
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
      logger,
    });
    await action().handler(ctx);

    expect(aws.unimplemented).toEqual([]);
    const stack = aws.cloudFormation.stacks.get(STACK)!;
    expect(stack.status).toBe('CREATE_COMPLETE');
    const { result } = await synthesizeService({
      dir: workspace.path,
      manifest: loadServiceManifest(workspace.path),
      prefix: 'orders-7',
      stage: 'dev',
      logger: mockServices.logger.mock(),
      env: { account: ACCOUNT, region: REGION },
    });
    // The deployed template is the synthesized one, plus the bootstrap
    // version check that toolkit-lib's synthesis adds; the CDK's analytics
    // metadata differs between the two synthesis paths.
    const withoutMetadata = (resources: object) =>
      Object.fromEntries(
        Object.entries(resources).filter(([id]) => id !== 'CDKMetadata'),
      );
    const synthesized = result.templates[STACK] as { Resources: object };
    expect(Object.keys(synthesized.Resources).length).toBeGreaterThan(5);
    expect(withoutMetadata(stack.template.Resources!)).toEqual(
      withoutMetadata(synthesized.Resources),
    );
    expect(stack.parameters.BootstrapVersion).toBe(
      '/cdk-bootstrap/hnb659fds/version',
    );
    expect(stack.resources.every(r => r.status === 'CREATE_COMPLETE')).toBe(
      true,
    );

    // Assets went to the bootstrap bucket through the publishing role.
    const bucket = aws.s3.buckets.get(
      `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`,
    )!;
    const keys = [...bucket.keys()];
    expect(keys.some(k => k.endsWith('.zip'))).toBe(true);
    expect(keys.some(k => k.endsWith('.json'))).toBe(true);
    expect(aws.sts.assumedRoles).toEqual(
      expect.arrayContaining([
        `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-deploy-role-${ACCOUNT}-${REGION}`,
        `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-${ACCOUNT}-${REGION}`,
      ]),
    );
    expect(aws.callsOf('ssm')).toContain('GetParameter');
    expect(aws.callsOf('cloudformation')).toEqual(
      expect.arrayContaining([
        'CreateChangeSet',
        'DescribeChangeSet',
        'ExecuteChangeSet',
        'DescribeStackEvents',
      ]),
    );

    // Stack events were streamed to the task log as they happened.
    const info = lines(logger, 'info');
    expect(info).toContain(
      `${STACK} CREATE_IN_PROGRESS AWS::CloudFormation::Stack ${STACK} — User Initiated`,
    );
    expect(
      info.some(l => /^orders-7-dev CREATE_COMPLETE AWS::SQS::Queue /.test(l)),
    ).toBe(true);
    expect(info).toContain(
      `${STACK} CREATE_COMPLETE AWS::CloudFormation::Stack ${STACK}`,
    );

    const outputs = {
      JobsQueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-7-dev-jobs`,
    };
    expect(ctx.output).toHaveBeenCalledWith('outputs', outputs);
    expect(ctx.output).toHaveBeenCalledWith('deployedToAws', true);
    expect(ctx.output).toHaveBeenCalledWith('environmentId', 'env-1');
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'ready',
    ]);
    expect(environments.registrations[1]).toMatchObject({
      target: 'sandbox',
      stackName: STACK,
      stackId: stack.id,
      outputs,
    });
  });

  it('never deploys twice when a task is retried after the deploy step', async () => {
    const store = checkpointStore();
    const run = async () => {
      const ctx = createMockActionContext({
        input,
        workspacePath: workspace.path,
      });
      ctx.checkpoint = store.checkpoint as typeof ctx.checkpoint;
      await action().handler(ctx);
      return ctx;
    };
    await run();
    const callsAfterFirst = aws.calls.length;
    const retried = await run();

    expect(aws.calls.length).toBe(callsAfterFirst);
    expect(
      aws.callsOf('cloudformation').filter(c => c === 'ExecuteChangeSet'),
    ).toHaveLength(1);
    expect(aws.cloudFormation.stacks.get(STACK)?.status).toBe(
      'CREATE_COMPLETE',
    );
    expect(retried.output).toHaveBeenCalledWith('environmentId', 'env-1');
  });

  it('updates a deployed stack in place; a change that does not broaden permissions needs no approval', async () => {
    await action().handler(
      createMockActionContext({ input, workspacePath: workspace.path }),
    );
    const created = aws.cloudFormation.stacks.get(STACK)!;
    // The same service, retrying its jobs more often before dead-lettering.
    const manifest = join(workspace.path, 'stackyard.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(
        'maxReceiveCount: 3',
        'maxReceiveCount: 5',
      ),
    );
    const logger = mockServices.logger.mock();
    await action().handler(
      createMockActionContext({
        input: { ...input, approveBroadening: false },
        workspacePath: workspace.path,
        logger,
      }),
    );
    const updated = aws.cloudFormation.stacks.get(STACK)!;
    expect(updated.id).toBe(created.id);
    expect(updated.status).toBe('UPDATE_COMPLETE');
    expect(
      lines(logger, 'info').some(l =>
        /^orders-7-dev UPDATE_COMPLETE AWS::SQS::Queue /.test(l),
      ),
    ).toBe(true);
    expect(
      aws.callsOf('cloudformation').filter(c => c === 'ExecuteChangeSet'),
    ).toHaveLength(2);
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'ready',
      'deploying',
      'ready',
    ]);
  });

  it('holds a change that broadens IAM permissions without approveBroadening: the change set is kept, unexecuted, and recorded as awaiting approval with its diff and a link', async () => {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { ...input, approveBroadening: false },
      workspacePath: workspace.path,
      logger,
    });
    await action().handler(ctx);

    expect(aws.callsOf('cloudformation')).toContain('CreateChangeSet');
    expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
    expect(aws.callsOf('cloudformation')).not.toContain('DeleteChangeSet');
    const stack = aws.cloudFormation.stacks.get(STACK)!;
    expect(stack.status).toBe('REVIEW_IN_PROGRESS');
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'awaiting-approval',
    ]);
    const held = environments.registrations[1];
    expect([...stack.changeSets.keys()]).toEqual([
      held.approval!.changeSetName,
    ]);
    // The function roles a reviewer must see, as data.
    expect(held.approval!.diff.iamStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          change: 'added',
          action: 'sts:AssumeRole',
          principal: 'Service:lambda.amazonaws.com',
        }),
      ]),
    );
    const approvalUrl =
      'http://portal.test/catalog/default/component/orders/infra?approval=env-1';
    expect(ctx.output).toHaveBeenCalledWith('approvalUrl', approvalUrl);
    expect(ctx.output).toHaveBeenCalledWith('outputs', {});
    expect((logger.warn as jest.Mock).mock.calls.map(c => c[0])).toContain(
      `${STACK} is awaiting approval: ${approvalUrl}`,
    );
  });

  it('records a failed deploy after CloudFormation rolls it back', async () => {
    aws.cloudFormation.failOn(
      'AWS::SQS::Queue',
      'Resource handler returned message: "Queue quota exceeded"',
    );
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
      logger,
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/Resource updates failed/);
    expect(error.message).toMatch(/Queue quota exceeded/);
    const stack = aws.cloudFormation.stacks.get(STACK)!;
    expect(stack.status).toBe('ROLLBACK_COMPLETE');
    expect(stack.resources.length).toBe(0);
    const errors = lines(logger, 'error');
    expect(
      errors.some(l =>
        /CREATE_FAILED AWS::SQS::Queue .* — Resource handler returned message: "Queue quota exceeded"/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      lines(logger, 'info').some(l =>
        /ROLLBACK_COMPLETE AWS::CloudFormation::Stack/.test(l),
      ),
    ).toBe(true);
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'failed',
    ]);
    expect(environments.registrations[1].statusReason).toMatch(
      /orders-7-dev failed: .*Queue quota exceeded/s,
    );
  });

  it('refuses a target without AWS credentials with an InputError before any AWS call', async () => {
    const error = await action([])
      .handler(
        createMockActionContext({ input, workspacePath: workspace.path }),
      )
      .catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /No AWS credentials for account "123456789012" of target "sandbox"/,
    );
    expect(aws.calls).toEqual([]);
    expect(environments.registrations).toEqual([]);
  });
  describe('a service with a manifest extension (synthesized in the sandbox, its assembly checked, deployed from its directory)', () => {
    /** The guardrails' fixture: a manifest plus an extension adding a topic and a raw queue without DLQ. */
    const EXTENDED = resolve(
      require.resolve('@stackyard/cdk-guardrails/package.json'),
      '../fixtures/extended-service',
    );
    const LEDGER = 'lg-dev';
    const ledgerInput = {
      appDir: '.',
      entityRef: 'component:default/ledger',
      target: 'sandbox',
      stage: 'dev',
      prefix: 'lg',
      approveBroadening: true,
    };
    const root = mkdtempSync(join(tmpdir(), 'toolkit-deployer-sandbox-'));
    const sandbox = SandboxPool.create({ tmpRoot: root });
    let ledger: string;

    afterAll(async () => {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    });
    beforeEach(() => {
      ledger = mkdtempSync(join(root, 'ws-'));
      cpSync(EXTENDED, ledger, { recursive: true });
    });

    /** The fixture's extension without its deliberately non-compliant raw queue. */
    function compliantExtension(extra = '') {
      const file = join(ledger, 'infra/extend.js');
      const fixture = readFileSync(file, 'utf8');
      const withoutRawQueue = fixture.replace(
        /\n {2}new sqs\.Queue\(service\.stack, 'RawQueue', \{[\s\S]*?\n {2}\}\);/,
        '',
      );
      expect(withoutRawQueue).not.toContain('RawQueue');
      writeFileSync(file, withoutRawQueue.replace(/\};\s*$/, `${extra}\n};\n`));
    }

    it("deploys the extended-service fixture through the sandbox against a loopback AWS endpoint: the stack CloudFormation received holds the extension's resources", async () => {
      compliantExtension();
      const logger = mockServices.logger.mock();
      const ctx = createMockActionContext({
        input: ledgerInput,
        workspacePath: ledger,
        logger,
      });
      await action(undefined, {
        sandbox,
        entityRef: ledgerInput.entityRef,
      }).handler(ctx);

      expect(aws.unimplemented).toEqual([]);
      const stack = aws.cloudFormation.stacks.get(LEDGER)!;
      expect(stack.status).toBe('CREATE_COMPLETE');
      const resources = Object.entries(stack.template.Resources!);
      // The extension's topic, and the grant it added to the manifest's function.
      const topics = resources.filter(([, r]) => r.Type === 'AWS::SNS::Topic');
      expect(topics).toHaveLength(1);
      expect(topics[0][0]).toMatch(/^Events/);
      expect(JSON.stringify(topics[0][1].Properties)).toContain(
        'lg-dev-events',
      );
      const policies = resources
        .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
        .map(([, r]) => JSON.stringify(r.Properties));
      expect(policies.some(p => p.includes('sns:Publish'))).toBe(true);
      // And the manifest's own function.
      expect(
        resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function'),
      ).toHaveLength(1);
      expect(aws.callsOf('cloudformation')).toContain('ExecuteChangeSet');
      expect(environments.registrations.map(r => r.status)).toEqual([
        'deploying',
        'ready',
      ]);
    });

    it('judges the assembly it deploys again: the unmodified fixture (a raw queue without DLQ) is refused before any CloudFormation call', async () => {
      // Straight to the deployer: the action's own synthesis step would stop
      // it first.
      const deployer = ToolkitCdkDeployer.fromConfig(
        new ConfigReader({ aws: { accounts: [STATIC_CREDENTIALS] } }),
        { stackEventPollingInterval: 20, sandbox },
      );
      const error = await deployer
        .deploy({
          dir: ledger,
          manifest: loadServiceManifest(ledger),
          prefix: 'lg',
          stage: 'dev',
          stackName: LEDGER,
          target: {
            name: 'sandbox',
            type: 'aws',
            accountId: ACCOUNT,
            region: REGION,
            endpoint: aws.url,
          } as any,
          approveBroadening: true,
          logger: mockServices.logger.mock(),
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /the safety policy found 1 problem\(s\) in the assembly to deploy/,
      );
      expect(aws.callsOf('cloudformation')).toEqual([]);
      expect(aws.cloudFormation.stacks.has(LEDGER)).toBe(false);
    });

    it('refuses an assembly with a docker image asset before any CloudFormation call', async () => {
      // Synthesizing a docker image asset only stages its directory; the
      // build would happen when toolkit-lib publishes it, in the backend.
      mkdirSync(join(ledger, 'image'));
      writeFileSync(join(ledger, 'image/Dockerfile'), 'FROM scratch\n');
      compliantExtension(`
  const { DockerImageAsset } = require('aws-cdk-lib/aws-ecr-assets');
  new DockerImageAsset(service.stack, 'Image', {
    directory: require('path').join(__dirname, '../image'),
  });`);
      const ctx = createMockActionContext({
        input: ledgerInput,
        workspacePath: ledger,
      });
      const error = await action(undefined, {
        sandbox,
        entityRef: ledgerInput.entityRef,
      })
        .handler(ctx)
        .catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /the cloud assembly synthesized from the repository's code was not deployed: .*has docker image assets/,
      );
      expect(aws.callsOf('cloudformation')).toEqual([]);
      expect(aws.cloudFormation.stacks.has(LEDGER)).toBe(false);
      expect(environments.registrations.map(r => r.status)).toEqual([
        'deploying',
        'failed',
      ]);
    });
  });
});
