import { writeFileSync } from 'fs';
import { join } from 'path';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import {
  RulePack,
  compliant,
  nonCompliant,
  notApplicable,
  stackyardCorePack,
} from '@stackyard/cdk-guardrails';
import { fixtureWorkspace } from '../__testUtils__/workspace';
import { createCdkSynthAction } from './cdkSynth';
import { examples } from './cdkSynth.examples';

jest.setTimeout(60_000);

function outputOf(ctx: { output: unknown }, name: string) {
  return (ctx.output as jest.Mock).mock.calls.find(([n]) => n === name)?.[1];
}

describe('stackyard:cdk:synth (real in-process CDK synthesis)', () => {
  const action = createCdkSynthAction();
  let workspace: ReturnType<typeof fixtureWorkspace>;

  beforeEach(() => {
    workspace = fixtureWorkspace('orders');
  });
  afterEach(() => workspace.cleanup());

  it.each([
    [0, 'orders-dev'],
    [1, 'orders-7-dev'],
  ])('runs example %i', async (index, stackName) => {
    const input = yaml.parse(examples[index].example).steps[0].input;
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
      logger,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('stackNames', [stackName]);
    expect(ctx.output).toHaveBeenCalledWith('findings', []);
    const counts = outputOf(ctx, 'resourceCounts');
    expect(counts[stackName]).toBeGreaterThan(5);
    const logged = logger.info.mock.calls.map(c => c[0]);
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^Synthesized ${stackName}: \\d+ resources \\(.*1 AWS::Lambda::Function.*\\)$`,
          ),
        ),
        expect.stringMatching(/^Safety policy: 0 finding\(s\)/),
      ]),
    );
  });

  it('fails the task listing every finding with rule, construct path and fix hint', async () => {
    // A platform team's extra rule pack: every queue must be encrypted with
    // a customer-managed key, which the fixture's queues are not.
    const kmsQueues: RulePack = {
      name: 'team-extra',
      rules: [
        {
          id: 'TEAM-SQS-CMK',
          description:
            'SQS queues are encrypted with a customer-managed KMS key',
          evaluate: resource => {
            if (resource.type !== 'AWS::SQS::Queue') return notApplicable;
            return resource.properties.KmsMasterKeyId
              ? compliant
              : nonCompliant('queue has no KmsMasterKeyId');
          },
        },
      ],
    };
    const strict = createCdkSynthAction({
      packs: [stackyardCorePack, kmsQueues],
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'orders', stage: 'dev' },
      workspacePath: workspace.path,
      logger,
    });
    const error = await strict.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/The safety policy found 3 problem\(s\)/);
    expect(error.message).toMatch(
      /TEAM-SQS-CMK orders-dev\/JobsQueue\/Queue\/Resource: queue has no KmsMasterKeyId \(fix: required: SQS queues are encrypted/,
    );
    const findings = outputOf(ctx, 'findings');
    expect(findings).toHaveLength(3);
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'TEAM-SQS-CMK',
        stack: 'orders-dev',
        resourceType: 'AWS::SQS::Queue',
        path: 'JobsQueue/Queue/Resource',
      }),
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^TEAM-SQS-CMK orders-dev\/JobsQueue\/Queue\/Resource: /,
      ),
    );
  });

  it('reports findings of warning rules without failing the task', async () => {
    const lookAtQueues: RulePack = {
      name: 'team-advice',
      rules: [
        {
          id: 'TEAM-SQS-LOOK',
          severity: 'warning',
          description: 'SQS queues are worth a look',
          evaluate: resource =>
            resource.type === 'AWS::SQS::Queue'
              ? nonCompliant('queue has no KmsMasterKeyId')
              : notApplicable,
        },
      ],
    };
    const advised = createCdkSynthAction({
      packs: [stackyardCorePack, lookAtQueues],
    });
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'orders', stage: 'dev' },
      workspacePath: workspace.path,
      logger,
    });
    await advised.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('findings', []);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Warning TEAM-SQS-LOOK orders-dev\/JobsQueue\/Queue\/Resource: queue has no KmsMasterKeyId \(see https:\/\/\S+\/TEAM-SQS-LOOK\.md\)$/,
      ),
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Safety policy: 0 finding\(s\), 3 warning\(s\), 0 acknowledged/),
    );
  });

  it('refuses a manifest whose values a construct rejects, with the construct path', async () => {
    const bad = fixtureWorkspace('visibility');
    try {
      const ctx = createMockActionContext({
        input: { appDir: '.', prefix: 'orders', stage: 'dev' },
        workspacePath: bad.path,
      });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /cannot be built from its manifest: \[orders-dev\/JobsQueue\] visibilityTimeout 10 seconds is too short/,
      );
    } finally {
      bad.cleanup();
    }
  });

  it('refuses a manifest with errors before synthesizing, quoting the bad key', async () => {
    writeFileSync(
      join(workspace.path, 'stackyard.yaml'),
      'service:\n  name: Orders\n  project: orders\n  costCenter: cc\n  owner: me\n',
    );
    const ctx = createMockActionContext({
      input: { appDir: '.', prefix: 'orders', stage: 'dev' },
      workspacePath: workspace.path,
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/stackyard\.yaml:2:\d+ service\.name/);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it.each([
    [
      { appDir: '../..', stage: 'dev' },
      /appDir "..\/.." is outside the task workspace/,
    ],
    [{ appDir: 'nope', stage: 'dev' }, /appDir "nope" is not a directory/],
    [{ appDir: '.', prefix: '-x', stage: 'dev' }, /prefix "-x" is not allowed/],
    [
      { appDir: '.', prefix: 'orders', stage: 'dev;ls' },
      /stage "dev;ls" is not allowed/,
    ],
  ])('refuses %j with an InputError', async (input, message) => {
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });
});
