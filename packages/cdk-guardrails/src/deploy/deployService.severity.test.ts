import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { stackyardCorePack } from '../policy/packs/stackyardCore';
import type { PolicyRule, RulePack } from '../policy/types';
import { PolicyFindingsError } from './DeployRefusedError';
import { DeployServiceOptions, deployService } from './deployService';

jest.setTimeout(180_000);

const FIXTURE = resolve(__dirname, '../../fixtures/reference-service');
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const STACK = 'wo-5-dev';

/** A rule on every SQS queue, with the given severity. */
function queueRule(id: string, severity: 'error' | 'warning'): RulePack {
  const rule: PolicyRule = {
    id,
    severity,
    description: 'Queues are looked at',
    evaluate: r =>
      r.type === 'AWS::SQS::Queue'
        ? { status: 'non-compliant', message: 'a queue' }
        : { status: 'not-applicable' },
  };
  return { name: id, rules: [rule] };
}

describe('deployService and rule severities (toolkit-lib against a loopback CloudFormation endpoint)', () => {
  let aws: LoopbackAws;
  let dir: string;
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

  const options = (packs: RulePack[]): DeployServiceOptions => ({
    appDir: dir,
    prefix: 'wo-5',
    stage: 'dev',
    env: { account: ACCOUNT, region: REGION },
    credentials: async () => ({
      accessKeyId: 'AKIASTACKYARDTEST',
      secretAccessKey: 'loopback-secret',
    }),
    endpoint: aws.url,
    approveBroadening: true,
    log,
    stackEventPollingInterval: 20,
    packs,
  });

  beforeEach(async () => {
    log.info.mockReset();
    log.warn.mockReset();
    aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
    aws.bootstrap();
    dir = mkdtempSync(join(tmpdir(), 'stackyard-severity-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  afterEach(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys despite findings of warning rules, logging each warning', async () => {
    const deployed = await deployService(
      options([stackyardCorePack, queueRule('TEST-QUEUE-WARNING', 'warning')]),
    );
    expect(deployed.stackId).toBe(aws.cloudFormation.stacks.get(STACK)!.id);
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Safety policy warning: TEST-QUEUE-WARNING wo-5-dev\/\S+: a queue$/),
    );
    expect(log.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Safety policy: 0 findings, [1-9]\d* warning\(s\), 0 acknowledged; deploying wo-5-dev$/),
    );
  });

  it('refuses findings of error rules before anything reaches CloudFormation, carrying the warnings', async () => {
    const error = await deployService(
      options([
        stackyardCorePack,
        queueRule('TEST-QUEUE-ERROR', 'error'),
        queueRule('TEST-QUEUE-WARNING', 'warning'),
      ]),
    ).catch(e => e);
    expect(error).toBeInstanceOf(PolicyFindingsError);
    expect(new Set(error.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['TEST-QUEUE-ERROR']));
    expect(new Set(error.warnings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['TEST-QUEUE-WARNING']));
    expect(aws.cloudFormation.stacks.get(STACK)).toBeUndefined();
  });
});
