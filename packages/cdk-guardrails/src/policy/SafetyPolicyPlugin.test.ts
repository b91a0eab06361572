import { App, Duration, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SafetyPolicyPlugin } from './SafetyPolicyPlugin';
import { acknowledgeRule } from './acknowledge';
import { formatFinding } from './evaluateTemplate';
import { resolveStageConfig } from '../stages/stageConfig';

function rawApp(failSynth: boolean) {
  const app = new App({
    stackTraces: false,
    builtinCloudFormationValidation: false,
    context: { '@aws-cdk/core:failSynthOnValidationErrors': failSynth },
  });
  const plugin = new SafetyPolicyPlugin({ stage: resolveStageConfig('dev') });
  Validations.of(app).addPlugins(plugin);
  const stack = new Stack(app, 'Raw', { stackName: 'raw-dev' });
  new sqs.CfnQueue(stack, 'L1Queue');
  const stage = new Stage(app, 'Preview');
  const nested = new Stack(stage, 'Nested', { stackName: 'nested-preview' });
  new lambda.Function(nested, 'L2Fn', {
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_20_X,
    timeout: Duration.seconds(3),
  });
  return { app, plugin, stack, nested };
}

describe('SafetyPolicyPlugin', () => {
  it('fails synthesis on raw L1 and L2 constructs, including stacks nested in a Stage', () => {
    const { app } = rawApp(true);
    expect(() => app.synth()).toThrow(/SY-SQS-DLQ[\s\S]*SY-LAMBDA-RUNTIME/);
  });

  describe('findings', () => {
    const { app, plugin, stack } = rawApp(false);
    acknowledgeRule(stack, 'SY-TAGS', 'raw stack used only to test the policy plugin');
    const assembly = app.synth();
    const lines = plugin.findings.map(formatFinding);

    it('reports raw L1 constructs by stack name and construct path', () => {
      expect(lines).toContain(
        'SY-SQS-DLQ raw-dev/L1Queue: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire',
      );
    });

    it('reports stacks nested in a Stage', () => {
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^SY-LAMBDA-RUNTIME nested-preview\/L2Fn\/Resource: Runtime "nodejs20.x" is deprecated/),
          expect.stringMatching(/^SY-LAMBDA-CONCURRENCY nested-preview\/L2Fn\/Resource: /),
          expect.stringMatching(/^SY-TAGS nested-preview\/L2Fn\/ServiceRole\/Resource: missing tag/),
        ]),
      );
      expect(plugin.runs).toBe(1);
    });

    it('honours acknowledgements and writes them into the template', () => {
      expect(lines.filter(l => l.startsWith('SY-TAGS raw-dev/'))).toEqual([]);
      expect(plugin.acknowledged.map(a => `${a.ruleId} ${a.stack}/${a.path}`)).toEqual(['SY-TAGS raw-dev/L1Queue']);
      const template = assembly.getStackByName('raw-dev').template;
      expect(template.Resources.L1Queue.Metadata['stackyard:acknowledgements']).toEqual([
        { rule: 'SY-TAGS', reason: 'raw stack used only to test the policy plugin', scope: 'Raw' },
      ]);
    });
  });
});

describe('acknowledgeRule', () => {
  it('requires a reason and a rule ID, quoting the bad value and the construct path', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledgeRule(stack, 'SY-TAGS', ' ok ')).toThrow(
      '[S] acknowledging SY-TAGS needs a reason of at least 10 characters, got " ok "',
    );
    expect(() => acknowledgeRule(stack, 'tags', 'a long enough reason')).toThrow(/cannot acknowledge rule "tags"/);
  });
});

describe('acknowledgeRule with an expiry date', () => {
  it('writes the date and scope into the metadata and refuses a date that is not one', () => {
    const app = new App({ stackTraces: false, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'S');
    const q = new sqs.CfnQueue(stack, 'Q');
    acknowledgeRule(stack, 'SY-SQS-DLQ', 'disposable fan-out messages', { expires: '2999-12-31' });
    expect(() => acknowledgeRule(stack, 'SY-TAGS', 'a long enough reason', { expires: '2026-02-30' })).toThrow(
      '[S] acknowledging SY-TAGS: expires "2026-02-30" is not a date written YYYY-MM-DD',
    );
    const template = app.synth().getStackByName('S').template;
    expect(template.Resources[stack.resolve(q.logicalId)].Metadata['stackyard:acknowledgements']).toEqual([
      { rule: 'SY-SQS-DLQ', reason: 'disposable fan-out messages', expires: '2999-12-31', scope: 'S' },
    ]);
  });
});

describe('SafetyPolicyPlugin severity', () => {
  const warnOnly = {
    name: 'warn',
    rules: [
      {
        id: 'TEST-QUEUE-WARNING',
        severity: 'warning' as const,
        description: 'Queues are looked at',
        evaluate: (r: { type: string }) =>
          r.type === 'AWS::SQS::Queue'
            ? { status: 'non-compliant' as const, message: 'a queue' }
            : { status: 'not-applicable' as const },
      },
    ],
  };

  it('does not fail synthesis for warnings, and reports them', () => {
    const app = new App({
      stackTraces: false,
      builtinCloudFormationValidation: false,
      context: { '@aws-cdk/core:failSynthOnValidationErrors': true },
    });
    const plugin = new SafetyPolicyPlugin({ stage: resolveStageConfig('dev'), packs: [warnOnly] });
    Validations.of(app).addPlugins(plugin);
    new sqs.CfnQueue(new Stack(app, 'W', { stackName: 'w-dev' }), 'Q');
    expect(() => app.synth()).not.toThrow();
    expect(plugin.findings).toEqual([]);
    expect(plugin.warnings.map(formatFinding)).toEqual(['TEST-QUEUE-WARNING w-dev/Q: a queue']);
  });
});
