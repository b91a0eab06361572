import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import { createPrefixResolveAction } from './prefixResolve';
import { examples } from './prefixResolve.examples';

function exampleInput(index: number) {
  return yaml.parse(examples[index].example).steps[0].input;
}

describe('stackyard:prefix:resolve', () => {
  const action = createPrefixResolveAction();

  it.each([
    [0, { prefix: 'wo-42', stackName: 'wo-42-dev', source: 'branch' }],
    [1, { prefix: 'wo', stackName: 'wo-prod', source: 'project' }],
    [
      2,
      {
        prefix: 'alice-sandbox',
        stackName: 'alice-sandbox-dev',
        source: 'override',
      },
    ],
  ])('runs example %i', async (index, expected) => {
    const ctx = createMockActionContext({ input: exampleInput(index) });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('prefix', expected.prefix);
    expect(ctx.output).toHaveBeenCalledWith('stackName', expected.stackName);
    expect(ctx.output).toHaveBeenCalledWith('source', expected.source);
  });

  it('gives hostile branch names the bare project code', async () => {
    const ctx = createMockActionContext({
      input: {
        project: 'wo',
        branch: 'feature/wo-1;rm -rf /$(id)',
        stage: 'dev',
      },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('prefix', 'wo');
    expect(ctx.output).toHaveBeenCalledWith('stackName', 'wo-dev');
  });

  it.each([
    [{ project: 'Wo', stage: 'dev' }, /project code "Wo"/],
    [{ project: 'wo', stage: 'dev-1' }, /stage "dev-1"/],
    [{ project: 'wo', stage: 'dev', override: '9lives' }, /"9lives"/],
  ])(
    'refuses %j with an InputError quoting the bad value',
    async (input, message) => {
      const ctx = createMockActionContext({ input });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );
});
