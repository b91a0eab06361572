import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { readStackyardActionsConfig } from '../lib/config';
import { FakeStackyardEnvironments } from '../__testUtils__/fakes';
import { createCdkDestroyAction } from './cdkDestroy';
import { examples } from './cdkDestroy.examples';

const config = readStackyardActionsConfig(
  new ConfigReader({
    stackyard: { targets: [{ name: 'local', type: 'local' }] },
  }),
);
const input = yaml.parse(examples[0].example).steps[0].input;

async function seed(
  environments: FakeStackyardEnvironments,
  change: object = {},
) {
  await environments.registerDeployment(
    {
      entityRef: 'component:default/orders',
      target: 'local',
      prefix: 'orders-7',
      stage: 'dev',
      stackName: 'orders-7-dev',
      status: 'ready',
      ...change,
    },
    mockCredentials.user('user:default/ada'),
  );
}

describe('stackyard:cdk:destroy (fake backend)', () => {
  let environments: FakeStackyardEnvironments;
  let action: ReturnType<typeof createCdkDestroyAction>;

  beforeEach(() => {
    environments = new FakeStackyardEnvironments();
    action = createCdkDestroyAction({ config, environments });
  });

  it('runs the example: requests the teardown on behalf of the initiator', async () => {
    await seed(environments);
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(environments.teardowns).toEqual([
      {
        environmentId: 'env-1',
        onBehalfOf: await ctx.getInitiatorCredentials(),
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('operationId', 'teardown-1');
    expect(ctx.output).toHaveBeenCalledWith('stackName', 'orders-7-dev');
  });

  it('refuses a protected stage without asking the backend', async () => {
    await seed(environments, {
      prefix: 'orders',
      stage: 'prod',
      stackName: 'orders-prod',
    });
    const ctx = createMockActionContext({
      input: { ...input, prefix: 'orders', stage: 'prod' },
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/orders-prod is protected: stage "prod"/);
    expect(environments.teardowns).toEqual([]);
  });

  it('refuses a protected stage whatever its case, as the backend does', async () => {
    await seed(environments, {
      prefix: 'orders',
      stage: 'Prod',
      stackName: 'orders-Prod',
    });
    const ctx = createMockActionContext({
      input: { ...input, prefix: 'orders', stage: 'Prod' },
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/orders-Prod is protected: stage "Prod"/);
    expect(environments.teardowns).toEqual([]);
  });

  it('refuses an environment registered as protected', async () => {
    await seed(environments, { protected: true });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(NotAllowedError);
    expect(environments.teardowns).toEqual([]);
  });

  it('answers an unknown environment with a NotFoundError', async () => {
    const ctx = createMockActionContext({ input });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /no environment "orders-7-dev" on target "local"/,
    );
  });

  it.each([
    [{ target: 'aws-prod' }, /target "aws-prod" is not configured/],
    [{ prefix: 'orders 7' }, /prefix "orders 7" is not allowed/],
    [{ entityRef: 'component:orders' }, /entityRef "component:orders"/],
  ])('refuses %j with an InputError', async (change, message) => {
    await seed(environments);
    const ctx = createMockActionContext({ input: { ...input, ...change } });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
    expect(environments.teardowns).toEqual([]);
  });
});
