import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { BroadeningRefusedError } from './DeployRefusedError';
import { DeployServiceOptions, deployService } from './deployService';

jest.setTimeout(180_000);

const FIXTURE = resolve(__dirname, '../../fixtures/reference-service');
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const STACK = 'wo-3-dev';

describe('deployService holding broadening changes for approval (toolkit-lib against a loopback CloudFormation/S3/SSM/STS endpoint)', () => {
  let aws: LoopbackAws;
  let dir: string;
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

  const options = (more: Partial<DeployServiceOptions>) => ({
    appDir: dir,
    prefix: 'wo-3',
    stage: 'dev',
    env: { account: ACCOUNT, region: REGION },
    credentials: async () => ({
      accessKeyId: 'AKIASTACKYARDTEST',
      secretAccessKey: 'loopback-secret',
    }),
    endpoint: aws.url,
    approveBroadening: false,
    log,
    stackEventPollingInterval: 20,
    ...more,
  });

  beforeEach(async () => {
    aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
    aws.bootstrap();
    dir = mkdtempSync(join(tmpdir(), 'stackyard-hold-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  afterEach(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops a broadening deploy before execution, keeps its change set and returns the IAM diff', async () => {
    const held = await deployService(options({ holdBroadening: true }));

    expect(held.awaitingApproval).toBeDefined();
    expect(held.stackId).toBeUndefined();
    const { changeSetName, diff } = held.awaitingApproval!;
    expect(changeSetName).toMatch(/^stackyard-[0-9a-f-]{36}$/);
    // The new service's function roles: statements a reviewer must see.
    expect(diff.iamStatements.length).toBeGreaterThan(0);
    expect(diff.iamStatements.every(s => s.change === 'added')).toBe(true);
    expect(diff.iamStatements.map(s => s.action).join('\n')).toContain(
      'sts:AssumeRole',
    );
    expect(diff.securityGroupRules).toEqual([]);
    // Nothing executed: the stack waits in review with the change set kept.
    const stack = aws.cloudFormation.stacks.get(STACK)!;
    expect(stack.status).toBe('REVIEW_IN_PROGRESS');
    expect([...stack.changeSets.keys()]).toEqual([changeSetName]);
    expect(stack.changeSets.get(changeSetName)!.executionStatus).toBe(
      'AVAILABLE',
    );
    expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
    expect(aws.callsOf('cloudformation')).not.toContain('DeleteChangeSet');
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining(`${STACK} waits for approval`),
    );
  });

  it('without holding, still refuses broadening and deletes the change set', async () => {
    await expect(deployService(options({}))).rejects.toBeInstanceOf(
      BroadeningRefusedError,
    );
    const stack = aws.cloudFormation.stacks.get(STACK);
    expect(stack?.changeSets.size ?? 0).toBe(0);
  });

  it('deploys a change that does not broaden at once, even when holding', async () => {
    await deployService(options({ approveBroadening: true }));
    const again = await deployService(options({ holdBroadening: true }));
    expect(again.awaitingApproval).toBeUndefined();
    expect(again.stackId).toBe(aws.cloudFormation.stacks.get(STACK)!.id);
  });
});
