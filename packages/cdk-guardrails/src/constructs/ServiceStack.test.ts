import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceStack } from './ServiceStack';
import { testFunction, testStack } from './testing';

describe('ServiceStack', () => {
  it('names the stack <prefix>-<stage> and records the stage in the template', () => {
    const stack = testStack({ template: { name: 'websocket-service', version: '1.2.0' } });
    expect(stack.stackName).toBe('wo-42-dev');
    expect(stack.terminationProtection).toBe(false);
    const template = Template.fromStack(stack).toJSON();
    expect(template.Metadata.Stackyard).toEqual({ stage: 'dev', production: false, ephemeral: false, prefix: 'wo-42' });
  });

  it('tags every taggable resource with the cost and Stackyard tags', () => {
    const stack = testStack({ template: { name: 'websocket-service', version: '1.2.0' } });
    testFunction(stack, 'Fn');
    const template = Template.fromStack(stack);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    const tags = fn.Properties.Tags;
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'Project', Value: 'wo' },
        { Key: 'Environment', Value: 'dev' },
        { Key: 'CostCenter', Value: 'cc-1' },
        { Key: 'stackyard:entity-ref', Value: 'component:default/mailer' },
        { Key: 'stackyard:template', Value: 'websocket-service@1.2.0' },
      ]),
    );
    for (const type of ['AWS::SQS::Queue', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']) {
      for (const r of Object.values(template.findResources(type))) {
        expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'CostCenter', Value: 'cc-1' }]));
      }
    }
  });

  it('tags the stack with what the portal discovery reads: prefix, stage, branch, commit', () => {
    const stack = testStack({ branch: 'feature/wo-42-x', commit: '0123abc' });
    expect(stack.serviceTags).toMatchObject({
      'stackyard:prefix': 'wo-42',
      'stackyard:stage': 'dev',
      'stackyard:branch': 'feature/wo-42-x',
      'stackyard:commit': '0123abc',
    });
    expect(stack.serviceTags['stackyard:ttl-hours']).toBeUndefined();
    expect(Template.fromStack(stack).toJSON().Metadata.Stackyard.prefix).toBe('wo-42');
  });

  it('records the lifetime of ephemeral stages: the portal default, or the stage own', () => {
    expect(testStack({ stage: 'preview' }).serviceTags['stackyard:ttl-hours']).toBe('default');
    const stack = testStack({ stage: 'pr', stageOverrides: { pr: { extends: 'preview', ttlHours: 6 } } });
    expect(stack.serviceTags['stackyard:ttl-hours']).toBe('6');
  });

  it('protects production stacks from termination', () => {
    const stack = testStack({ stage: 'prod' });
    expect(stack.terminationProtection).toBe(true);
    expect(stack.stageConfig.production).toBe(true);
  });

  it('lets teams define their own stages', () => {
    const stack = testStack({ stage: 'pr1', stageOverrides: { pr1: { extends: 'preview', logRetentionDays: 1 } } });
    expect(stack.stageConfig).toMatchObject({ name: 'pr1', ephemeral: true, logRetentionDays: 1 });
  });

  it.each([
    [{ prefix: '1wo' }, /prefix "1wo" is not allowed/],
    [{ stage: 'qa' }, /unknown stage "qa": use one of dev, preview, staging, prod/],
    [{ owner: 'mailer' }, /\[wo-42-dev\] invalid ServiceStack props: owner "mailer" is not allowed: a full entity ref/],
    [{ costCenter: 'cc;1' }, /invalid ServiceStack tags: tag "CostCenter" value "cc;1" is not allowed/],
    [{ extraTags: { 'aws:x': 'y' } }, /tag key "aws:x" is not allowed/],
    [{ branch: 'feature/wo#42' }, /tag "stackyard:branch" value "feature\/wo#42" is not allowed/],
  ])('rejects bad props %j quoting the value', (props, message) => {
    expect(() =>
      new ServiceStack(new App(), 'wo-42-dev', {
        prefix: 'wo-42',
        stage: 'dev',
        project: 'wo',
        costCenter: 'cc-1',
        owner: 'component:default/mailer',
        ...props,
      }),
    ).toThrow(message);
  });
});
