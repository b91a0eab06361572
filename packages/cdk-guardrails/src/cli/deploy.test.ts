import { cpSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { freePort } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { LOOPBACK_REGION as REGION, runStackyard } from './__testUtils__/runStackyard';
import { EXIT_BAD_INPUT, EXIT_DEPLOY_FAILED, EXIT_OK } from './main';

jest.setTimeout(240_000);

const FIXTURE = resolve(__dirname, '../../fixtures/reference-service');
const CONTAINER_FIXTURE = resolve(__dirname, '../../fixtures/container-service');
const ACCOUNT = '123456789012';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('stackyard deploy (bin/stackyard in its own process, toolkit-lib against a loopback CloudFormation/S3/SSM/STS endpoint)', () => {
  let aws: LoopbackAws;
  let dir: string;

  beforeAll(() => expect.extend({ toBeValidSarifLog }));

  beforeEach(async () => {
    aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
    aws.bootstrap();
    dir = mkdtempSync(join(tmpdir(), 'stackyard-deploy-cli-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  afterEach(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys with the branch and commit of CI as tags, and says discovery will show it when no portal is configured', async () => {
    aws.cloudFormation.reportedOutputs.set('wo-42-dev', {
      QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/wo-42-dev-jobs`,
    });
    // A new service's roles broaden permissions: approved here.
    const args = ['deploy', dir, '--stage', 'dev', '--require-approval', 'never', '--json'];
    const result = await runStackyard(args, {
      AWS_ENDPOINT_URL: aws.url,
      GITHUB_REF_NAME: 'feature/wo-42-add-retries',
      GITHUB_SHA: COMMIT,
    });

    expect(result.stderr).toContain('Deployed wo-42-dev');
    expect(result.code).toBe(EXIT_OK);
    expect(aws.unimplemented).toEqual([]);
    const stack = aws.cloudFormation.stacks.get('wo-42-dev')!;
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.tags).toMatchObject({
      'stackyard:entity-ref': 'component:default/mailer',
      'stackyard:prefix': 'wo-42',
      'stackyard:stage': 'dev',
      'stackyard:branch': 'feature/wo-42-add-retries',
      'stackyard:commit': COMMIT,
    });
    // Function code went to the bootstrap bucket before the change set.
    expect(aws.callsOf('s3')).toContain('PutObject');

    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: true,
      stackName: 'wo-42-dev',
      entityRef: 'component:default/mailer',
      branch: 'feature/wo-42-add-retries',
      commit: COMMIT,
      outputs: { QueueUrl: expect.stringContaining('wo-42-dev-jobs') },
      registration: { status: 'skipped' },
    });
    expect(report.resources['AWS::Lambda::Function']).toBeGreaterThanOrEqual(3);
    // --json is --format json: the policy's verdict as `check` reports it, and the estimate.
    expect(report.findings).toEqual([]);
    expect(Array.isArray(report.warnings)).toBe(true);
    expect(report.estimate).toMatchObject({ region: REGION, monthlyUsd: 0, lineItems: [] });
    // Nothing with a fixed cost (on-demand tables, queues, functions): no price asked.
    expect(aws.callsOf('pricing')).toEqual([]);
    expect(result.stderr).toContain(
      'STACKYARD_PORTAL_URL and STACKYARD_TOKEN are not set, so the deployment was not registered.',
    );
    expect(result.stderr).toMatch(/discovery adopts the stack .* at its next reconcile/);
  });

  it('still exits 0 when the portal cannot be reached, saying the deploy succeeded and registration failed', async () => {
    const closedPort = await freePort();
    const result = await runStackyard(
      ['deploy', dir, '--prefix', 'wo-7', '--stage', 'dev', '--target', 'sandbox', '--require-approval', 'never'],
      {
        AWS_ENDPOINT_URL: aws.url,
        STACKYARD_PORTAL_URL: `http://127.0.0.1:${closedPort}`,
        STACKYARD_TOKEN: 'some-token',
      },
    );
    expect(result.code).toBe(EXIT_OK);
    expect(aws.cloudFormation.stacks.get('wo-7-dev')?.status).toBe('CREATE_COMPLETE');
    expect(result.stderr).toMatch(
      /The deploy of wo-7-dev succeeded, but registering it with the portal failed: .*could not be reached/,
    );
    expect(result.stderr).toMatch(/discovery adopts the stack/);
  });

  it('refuses a change that broadens permissions by default, exits 3 and leaves no stack behind', async () => {
    const result = await runStackyard(['deploy', dir, '--prefix', 'wo', '--stage', 'dev'], {
      AWS_ENDPOINT_URL: aws.url,
    });
    expect(result.code).toBe(EXIT_DEPLOY_FAILED);
    expect(result.stderr).toContain('IAM Statement Changes');
    expect(result.stderr).toContain(
      'Deploy of wo-dev refused: it broadens IAM or security-group permissions. Review the change above and re-run with --require-approval never',
    );
    expect(result.stderr).not.toContain('Deployed wo-dev');
    expect(aws.cloudFormation.stacks.has('wo-dev')).toBe(false);
    expect(aws.callsOf('cloudformation')).not.toContain('ExecuteChangeSet');
  });

  it('refuses bad arguments before any AWS call', async () => {
    const noBranch = await runStackyard(['deploy', dir, '--stage', 'dev'], {
      AWS_ENDPOINT_URL: aws.url,
    });
    expect(noBranch.code).toBe(EXIT_BAD_INPUT);
    expect(noBranch.stderr).toContain('deploy needs --prefix or a branch');

    const approval = await runStackyard(
      ['deploy', dir, '--prefix', 'wo', '--stage', 'dev', '--require-approval', 'any-time'],
      { AWS_ENDPOINT_URL: aws.url },
    );
    expect(approval.code).toBe(EXIT_BAD_INPUT);
    expect(approval.stderr).toContain('--require-approval must be "broadening"');

    // A branch that is no valid tag value fails the build, not the deploy.
    const branch = await runStackyard(['deploy', dir, '--prefix', 'wo', '--stage', 'dev'], {
      AWS_ENDPOINT_URL: aws.url,
      GITHUB_REF_NAME: 'feature/x;rm -rf',
    });
    expect(branch.code).toBe(EXIT_BAD_INPUT);
    expect(branch.stderr).toMatch(/stackyard:branch/);
    expect(aws.calls).toEqual([]);
  });

  it('reports the verdict as SARIF on stdout before deploying, the outputs on stderr; --no-estimate asks no price (loopback)', async () => {
    aws.cloudFormation.reportedOutputs.set('wo-dev', { QueueUrl: 'https://sqs.example/wo-dev-jobs' });
    const result = await runStackyard(
      ['deploy', dir, '--prefix', 'wo', '--stage', 'dev', '--require-approval', 'never', '--format', 'sarif', '--no-estimate'],
      { AWS_ENDPOINT_URL: aws.url },
    );
    expect(result.code).toBe(EXIT_OK);
    const sarif = JSON.parse(result.stdout);
    expect(sarif).toBeValidSarifLog();
    expect(sarif.runs[0].results.every((r: { level: string }) => r.level !== 'error')).toBe(true);
    expect(result.stderr).toContain('QueueUrl = https://sqs.example/wo-dev-jobs');
    expect(result.stderr).not.toContain('Estimated fixed cost');
    expect(aws.callsOf('pricing')).toEqual([]);
    expect(aws.cloudFormation.stacks.get('wo-dev')?.status).toBe('CREATE_COMPLETE');
  });

  it('writes the JUnit verdict to --output, the text report and outputs to the terminal (loopback)', async () => {
    aws.cloudFormation.reportedOutputs.set('wo-dev', { QueueUrl: 'https://sqs.example/wo-dev-jobs' });
    const file = join(dir, 'reports', 'policy.xml');
    const result = await runStackyard(
      ['deploy', dir, '--prefix', 'wo', '--stage', 'dev', '--require-approval', 'never', '--format', 'junit', '--output', file],
      { AWS_ENDPOINT_URL: aws.url },
    );
    expect(result.code).toBe(EXIT_OK);
    // stdout holds the stack's outputs only.
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('QueueUrl = https://sqs.example/wo-dev-jobs');
    for (const line of lines) expect(line).toMatch(/^[A-Za-z0-9]+ = \S+$/);
    expect(result.stderr).toMatch(/^0 finding\(s\), \d+ warning\(s\), 0 acknowledged$/m);
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="stackyard safety policy" tests="\d+" failures="0"/);
    // The estimate comes before the deploy.
    const estimated = result.stderr.indexOf('Estimated fixed cost: $0.00/month in eu-west-1 (no fixed-cost resources)');
    expect(estimated).toBeGreaterThan(-1);
    expect(estimated).toBeLessThan(result.stderr.indexOf('Deployed wo-dev'));
  });

  describe('a container service (load balancer, Fargate, PostgreSQL, Redis)', () => {
    beforeEach(() => {
      rmSync(dir, { recursive: true, force: true });
      cpSync(CONTAINER_FIXTURE, dir, { recursive: true });
    });

    it("prints its estimated monthly fixed cost from the loopback Price List before deploying, and includes it in JSON", async () => {
      aws.pricing.add(
        {
          serviceCode: 'AWSELB',
          attributes: { regionCode: REGION, productFamily: 'Load Balancer-Application', usagetype: 'EUW1-LoadBalancerUsage' },
          usd: 0.0252,
        },
        {
          serviceCode: 'AmazonECS',
          attributes: { regionCode: REGION, usagetype: 'EUW1-Fargate-vCPU-Hours:perCPU' },
          usd: 0.04048,
          unit: 'hours',
        },
      );
      const result = await runStackyard(
        ['deploy', dir, '--prefix', 'wo-16', '--stage', 'dev', '--require-approval', 'never', '--format', 'json'],
        { AWS_ENDPOINT_URL: aws.url, GITHUB_SHA: COMMIT },
      );
      expect(result.code).toBe(EXIT_OK);
      expect(aws.callsOf('pricing').length).toBeGreaterThan(0);
      expect(aws.callsOf('pricing').every(c => c === 'GetProducts')).toBe(true);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ ok: true, stackName: 'wo-16-dev', findings: [] });
      const alb = report.estimate.lineItems.find((l: { label: string }) => l.label === 'Application load balancer');
      // 0.0252 USD an hour, 730 hours.
      expect(alb).toMatchObject({ count: 1, monthlyUsd: 18.4 });
      // What the loopback Price List has no price for is named, not guessed.
      expect(report.estimate.unpriced).toEqual(
        expect.arrayContaining([expect.objectContaining({ resourceType: 'AWS::RDS::DBInstance', reason: expect.stringContaining('no price in the Price List') })]),
      );
      const line = result.stderr.split('\n').find(l => l.startsWith('Estimated fixed cost: '));
      expect(line).toBe(report.estimate.summary);
      expect(line).toContain('in eu-west-1 (');
      expect(line).toContain('Application load balancer 1 × $18.40');
      expect(result.stderr.indexOf(line!)).toBeLessThan(result.stderr.indexOf('Deployed wo-16-dev'));
    });

    it('warns and still deploys when the Price List refuses the credentials (AccessDenied, loopback)', async () => {
      aws.refuse.GetProducts = 'AccessDeniedException';
      const result = await runStackyard(
        ['deploy', dir, '--prefix', 'wo-16', '--stage', 'dev', '--require-approval', 'never'],
        { AWS_ENDPOINT_URL: aws.url, GITHUB_SHA: COMMIT },
      );
      expect(result.code).toBe(EXIT_OK);
      expect(aws.callsOf('pricing')).toContain('GetProducts');
      expect(result.stderr).toMatch(
        /^warning: cost not estimated \(AWS Price List: AccessDeniedException: .*\); deploying anyway$/m,
      );
      expect(result.stderr).not.toContain('Estimated fixed cost');
      expect(aws.cloudFormation.stacks.get('wo-16-dev')?.status).toBe('CREATE_COMPLETE');
    });
  });
});
