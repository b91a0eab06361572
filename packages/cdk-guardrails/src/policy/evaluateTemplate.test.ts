import { resolveStageConfig } from '../stages/stageConfig';
import { NotATemplateError, evaluateTemplate, formatFinding, templateResources } from './evaluateTemplate';
import { stageOfTemplate } from './templateStage';

const tags = [
  { Key: 'Project', Value: 'wo' },
  { Key: 'Environment', Value: 'dev' },
  { Key: 'CostCenter', Value: 'cc' },
];

const template = {
  Resources: {
    Bare: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs22.x', Tags: tags },
      Metadata: { 'aws:cdk:path': 'wo-dev/Bare/Resource' },
    },
    Excused: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs22.x', Timeout: 5, MemorySize: 128, ReservedConcurrentExecutions: 1, Tags: tags },
      Metadata: {
        'stackyard:acknowledgements': [
          { rule: 'SY-LAMBDA-DLQ', reason: 'synchronous API handler, never invoked asynchronously' },
          { rule: 'SY-LAMBDA-RUNTIME', reason: 'short' },
        ],
      },
    },
  },
};

describe('evaluateTemplate', () => {
  const stage = resolveStageConfig('dev');
  const report = evaluateTemplate(template, { stack: 'wo-dev', stage });

  it('reports every non-compliant rule with the construct path relative to the stack', () => {
    expect(report.findings.map(formatFinding)).toEqual([
      'SY-LAMBDA-CONCURRENCY wo-dev/Bare/Resource: ReservedConcurrentExecutions is not set: give the function an explicit concurrency limit',
      'SY-LAMBDA-TIMEOUT wo-dev/Bare/Resource: Timeout is not set: the 3 second default applies silently; set an explicit timeout',
      'SY-LAMBDA-MEMORY wo-dev/Bare/Resource: MemorySize is not set: the 128 MB default applies silently; right-size the memory explicitly',
      'SY-LAMBDA-DLQ wo-dev/Bare/Resource: no DeadLetterConfig.TargetArn and no on-failure destination: failed asynchronous invocations would be lost',
    ]);
  });

  it('moves acknowledged findings aside with their reason, and uses the logical ID without a path', () => {
    expect(report.acknowledged).toEqual([
      expect.objectContaining({
        ruleId: 'SY-LAMBDA-DLQ',
        logicalId: 'Excused',
        reason: 'synchronous API handler, never invoked asynchronously',
      }),
    ]);
    expect(formatFinding(report.acknowledged[0])).toMatch(/^SY-LAMBDA-DLQ wo-dev\/Excused: /);
  });

  it('strips a given stack path from nested stage paths', () => {
    const nested = evaluateTemplate(
      { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: tags }, Metadata: { 'aws:cdk:path': 'Preview/Svc/Q/Resource' } } } },
      { stack: 'svc-preview', stackPath: 'Preview/Svc', stage },
    );
    expect(nested.findings.map(formatFinding)).toEqual([
      expect.stringMatching(/^SY-SQS-DLQ svc-preview\/Q\/Resource: /),
    ]);
  });

  it('applies only the given packs', () => {
    expect(evaluateTemplate(template, { stack: 's', stage, packs: [] }).findings).toEqual([]);
  });

  it('rejects things that are not templates', () => {
    expect(() => templateResources({ foo: 1 })).toThrow(NotATemplateError);
    expect(() => templateResources([])).toThrow(/no "Resources" object/);
    expect(() => templateResources({ Resources: { X: { Properties: {} } } })).toThrow(/resource "X" has no "Type"/);
  });
});

describe('stageOfTemplate', () => {
  it('reads the recorded stage and defaults to production rules', () => {
    expect(stageOfTemplate({ Resources: {} }).production).toBe(true);
    const preview = stageOfTemplate({
      Metadata: { Stackyard: { stage: 'pr-1', production: false, ephemeral: true } },
    });
    expect(preview).toMatchObject({ name: 'pr-1', production: false, ephemeral: true });
    expect(stageOfTemplate({ Metadata: { Stackyard: { stage: 'x', production: true, ephemeral: true } } })).toMatchObject({
      production: true,
      ephemeral: false,
    });
  });
});
