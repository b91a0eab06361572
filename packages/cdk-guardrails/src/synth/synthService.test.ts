import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { CfnResource, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledgeRule } from '../policy/acknowledge';
import { formatFinding } from '../policy/evaluateTemplate';
import { SYNTH_TMP_PREFIX, synthApp } from './synthApp';
import { synthService } from './synthService';
import { withoutRuntimeAnalytics } from './testing';

const appDir = join(__dirname, '../../fixtures/reference-service');

/** A full garbage collection, without needing node --expose-gc. */
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
// A private temp root, so other test processes' synths in the shared /tmp
// cannot look like leftovers of these.
const sharedTmpdir = process.env.TMPDIR;
const privateTmpdir = mkdtempSync(join(tmpdir(), 'synth-service-test-'));
process.env.TMPDIR = privateTmpdir;
afterAll(() => {
  if (sharedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = sharedTmpdir;
  rmSync(privateTmpdir, { recursive: true, force: true });
});

const leftovers = () =>
  readdirSync(privateTmpdir).filter(d => d.startsWith(SYNTH_TMP_PREFIX));

describe('synthService', () => {
  const before = leftovers();
  const results = Promise.all(
    ['dev', 'prod', 'preview'].map(stage =>
      synthService({ appDir, prefix: 'wo-42', stage }),
    ),
  );

  it('synthesizes the reference service cleanly in every stage', async () => {
    for (const result of await results) {
      expect(result.findings).toEqual([]);
      expect(result.ok).toBe(true);
      expect(Object.keys(result.templates)).toEqual([result.stackName]);
    }
    expect((await results).map(r => r.stackName)).toEqual([
      'wo-42-dev',
      'wo-42-prod',
      'wo-42-preview',
    ]);
  });

  it('summarizes resources per stack', async () => {
    const [dev, prod] = await results;
    expect(dev.stacks[0].resourcesByType).toMatchObject({
      'AWS::Lambda::Function': 3,
      'AWS::DynamoDB::Table': 2,
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::SQS::Queue': 7,
    });
    expect(
      dev.stacks[0].resourcesByType['AWS::CloudWatch::Alarm'],
    ).toBeUndefined();
    // 3 functions × (errors, throttles, DLQ) + 2 queues × (age, DLQ) + 2 tables × 2 + 1 WebSocket API
    expect(prod.stacks[0].resourcesByType['AWS::CloudWatch::Alarm']).toBe(18);
  });

  it('sizes functions for the stage', async () => {
    const [dev, prod] = await results;
    const worker = (t: any) =>
      Object.values<any>(t.Resources).find(
        r =>
          r.Type === 'AWS::Lambda::Function' &&
          r.Metadata['aws:cdk:path'].includes('/Worker/'),
      );
    expect(worker(dev.templates['wo-42-dev']).Properties).toMatchObject({
      MemorySize: 256,
      ReservedConcurrentExecutions: 5,
    });
    expect(worker(prod.templates['wo-42-prod']).Properties).toMatchObject({
      MemorySize: 512,
      ReservedConcurrentExecutions: 50,
    });
  });

  it.each(['dev', 'prod', 'preview'])(
    'matches the %s snapshot',
    async stage => {
      const result = (await results).find(
        r => r.stackName === `wo-42-${stage}`,
      )!;
      expect(
        withoutRuntimeAnalytics(result.templates[result.stackName]),
      ).toMatchSnapshot();
    },
  );

  it('leaves no temporary directories behind', async () => {
    await results;
    expect(leftovers()).toEqual(before);
  });

  it('lets custom code extend the stack, and still checks it', async () => {
    const result = await synthService({
      appDir,
      prefix: 'wo',
      stage: 'dev',
      extend: service => {
        new sqs.Queue(service.stack, 'RawQueue');
      },
    });
    expect(result.ok).toBe(false);
    expect(result.findings.map(formatFinding)).toEqual([
      'SY-SQS-DLQ wo-dev/RawQueue/Resource: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire',
    ]);
  });

  it("leaves nothing in aws-cdk-lib's global state that keeps the app alive", async () => {
    // The first synthesis in a process loads modules and is kept (see withTokenScope).
    await results;
    let app: WeakRef<object> | undefined;
    await synthService({
      appDir,
      prefix: 'wo',
      stage: 'dev',
      extend: service => {
        app = new WeakRef(service.stack.node.root);
      },
    });
    await new Promise(resolve => setImmediate(resolve));
    collectGarbage();
    expect(app).toBeDefined();
    expect(app!.deref()).toBeUndefined();
  });

  it('rejects a bad prefix or stage before synthesizing', async () => {
    await expect(
      synthService({ appDir, prefix: 'wo 1', stage: 'dev' }),
    ).rejects.toThrow(/prefix "wo 1" is not allowed/);
    await expect(
      synthService({ appDir, prefix: 'wo', stage: 'qa' }),
    ).rejects.toThrow(/unknown stage "qa"/);
  });
});

describe('synthApp', () => {
  it('catches violations in stacks nested in a Stage, which toolkit-lib reports would drop', async () => {
    const result = await synthApp(app => {
      const stage = new Stage(app, 'Preview');
      const stack = new Stack(stage, 'Svc', { stackName: 'svc-preview' });
      new lambda.Function(stack, 'Fn', {
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        timeout: Duration.seconds(3),
        memorySize: 128,
      });
      acknowledgeRule(
        stack,
        'SY-TAGS',
        'nested stack used only to test the policy',
      );
    });
    expect(Object.keys(result.templates)).toEqual(['svc-preview']);
    expect(
      result.findings.map(f => `${f.ruleId} ${f.stack}/${f.path}`),
    ).toEqual([
      'SY-LAMBDA-CONCURRENCY svc-preview/Fn/Resource',
      'SY-LAMBDA-DLQ svc-preview/Fn/Resource',
    ]);
    expect(result.acknowledged.length).toBeGreaterThan(0);
  });

  it('reports warnings and unused acknowledgements without failing the synthesis', async () => {
    const result = await synthApp(
      app => {
        const stack = new Stack(app, 'W', { stackName: 'w-dev' });
        new sqs.CfnQueue(stack, 'Q');
        acknowledgeRule(stack, 'SY-LAMBDA-DLQ', 'no function here, a stale acknowledgement');
      },
      {
        packs: [
          {
            name: 'advice',
            rules: [
              {
                id: 'TEST-QUEUE-ADVICE',
                severity: 'warning',
                description: 'Queues are looked at',
                evaluate: r =>
                  r.type === 'AWS::SQS::Queue'
                    ? { status: 'non-compliant', message: 'a queue' }
                    : { status: 'not-applicable' },
              },
            ],
          },
        ],
      },
    );
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.warnings.map(w => `${w.ruleId} ${w.stack}`)).toEqual([
      'TEST-QUEUE-ADVICE w-dev',
      'SY-ACK-UNUSED w-dev',
    ]);
  });

  it('turns error annotations into findings', async () => {
    const result = await synthApp(app => {
      const stack = new Stack(app, 'S', { stackName: 's-dev' });
      const r = new CfnResource(stack, 'Thing', { type: 'Custom::Thing' });
      require('aws-cdk-lib').Annotations.of(r).addError('thing is broken');
    });
    expect(result.findings.map(formatFinding)).toEqual([
      'CDK-ANNOTATION s-dev/S/Thing: thing is broken',
    ]);
  });
});
