import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import {
  BroadeningRefusedError,
  CdkDeployer,
  ServiceDeployRequest,
} from '../deploy/CdkDeployer';
import { readStackyardActionsConfig } from '../lib/config';
import {
  FakeCatalog,
  FakeStackyardEnvironments,
  checkpointStore,
} from '../__testUtils__/fakes';
import { fixtureWorkspace } from '../__testUtils__/workspace';
import { LOCAL_PREVIEW_LABEL, createCdkDeployAction } from './cdkDeploy';
import { LOCAL_CONTAINERS_LABEL } from '../lib/localPreview';
import { examples } from './cdkDeploy.examples';

jest.setTimeout(60_000);

const configWith = (scaffolder: object = {}) =>
  readStackyardActionsConfig(
    new ConfigReader({
      app: { baseUrl: 'http://portal.test' },
      stackyard: {
        scaffolder,
        targets: [
          { name: 'local', type: 'local' },
          {
            name: 'sandbox',
            type: 'aws',
            accountId: '123456789012',
            region: 'eu-west-1',
            stages: ['dev', 'preview'],
          },
        ],
      },
    }),
  );
const config = configWith();

/** A deployer that records its calls; AWS is never reached. */
class FakeDeployer implements CdkDeployer {
  readonly deploys: ServiceDeployRequest[] = [];
  credentialsError?: Error;
  deployError?: Error;

  async checkCredentials() {
    if (this.credentialsError) throw this.credentialsError;
  }

  async deploy(request: ServiceDeployRequest) {
    this.deploys.push(request);
    request.logger.info(
      `${request.stackName} CREATE_COMPLETE AWS::CloudFormation::Stack`,
    );
    if (this.deployError) throw this.deployError;
    return {
      stackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${request.stackName}/1`,
      outputs: {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      },
    };
  }
}

function exampleInput(index: number) {
  return yaml.parse(examples[index].example).steps[0].input;
}

describe('stackyard:cdk:deploy (real synthesis; fake backend and fake AWS deployer)', () => {
  let workspace: ReturnType<typeof fixtureWorkspace>;
  let environments: FakeStackyardEnvironments;
  let deployer: FakeDeployer;
  let catalog: FakeCatalog;
  let action: ReturnType<typeof createCdkDeployAction>;
  /** The permission framework's answers: eve owns none of the entities. */
  let permissions: ReturnType<typeof mockServices.permissions.mock>;

  const actionWith = (actionsConfig: typeof config) =>
    createCdkDeployAction({
      config: actionsConfig,
      environments,
      deployer,
      permissions,
      auth: catalog.auth,
      discovery: catalog.discovery,
      fetchApi: catalog.fetchApi,
    });

  beforeEach(() => {
    workspace = fixtureWorkspace('orders');
    environments = new FakeStackyardEnvironments();
    deployer = new FakeDeployer();
    catalog = new FakeCatalog()
      .serve('component:default/orders')
      .serve('component:default/chat');
    permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) =>
        requests.map(() => ({
          result:
            (credentials.principal as { userEntityRef?: string })
              .userEntityRef === 'user:default/eve'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })) as any,
    });
    action = actionWith(config);
  });

  /** A task started by `user`. */
  const startedBy = <C extends { getInitiatorCredentials: unknown }>(
    user: BackstageCredentials,
    ctx: C,
  ): C => ({ ...ctx, getInitiatorCredentials: async () => user });
  afterEach(() => workspace.cleanup());

  it('runs example 0: records a local preview, labelled not deployed to AWS', async () => {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: exampleInput(0),
      workspacePath: workspace.path,
      logger,
    });
    await action.handler(ctx);

    expect(deployer.deploys).toHaveLength(0);
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'ready',
    ]);
    const ready = environments.registrations[1];
    expect(ready).toMatchObject({
      entityRef: 'component:default/orders',
      target: 'local',
      prefix: 'orders',
      stage: 'dev',
      stackName: 'orders-dev',
      statusReason: LOCAL_PREVIEW_LABEL,
      templateName: 'serverless-service',
      templateVersion: '1.0.0',
      costCenter: 'cc-1234',
      outputs: { Preview: 'Local preview: not deployed to AWS' },
    });
    expect(ready.resources?.['AWS::Lambda::Function']).toBe(1);
    // The synthesized template's resources, one per counted resource.
    expect(ready.stackResources).toHaveLength(
      Object.values(ready.resources!).reduce((a, b) => a + b, 0),
    );
    expect(ctx.output).toHaveBeenCalledWith('stackName', 'orders-dev');
    expect(ctx.output).toHaveBeenCalledWith('environmentId', 'env-1');
    expect(ctx.output).toHaveBeenCalledWith('deployedToAws', false);
    expect(ctx.output).toHaveBeenCalledWith(
      'infraUrl',
      'http://portal.test/catalog/default/component/orders/infra',
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Synthesized orders-dev: \d+ resources/),
    );
  });

  it('records the WebSocket API and commit of a local preview with the ready environment', async () => {
    const chat = fixtureWorkspace('chat');
    try {
      const ctx = createMockActionContext({
        input: {
          appDir: '.',
          entityRef: 'component:default/chat',
          target: 'local',
          stage: 'dev',
          prefix: 'chat',
          commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
          approveBroadening: false,
        },
        workspacePath: chat.path,
      });
      await action.handler(ctx);
      const [deploying, ready] = environments.registrations;
      expect(ready.outputs).toEqual({
        Preview: LOCAL_PREVIEW_LABEL,
        WebSocketRoutes:
          '$connect→socket, $disconnect→socket, $default→socket, subscribe→socket',
      });
      expect(ready.commit).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
      const socket = {
        integration: { type: 'preview', function: 'socket' },
        response: false,
      };
      expect(ready.websocket?.routes).toEqual({
        $connect: socket,
        $disconnect: socket,
        $default: socket,
        subscribe: socket,
      });
      // Routes appear once the environment is ready, never while deploying.
      expect(deploying.websocket).toBeUndefined();
    } finally {
      chat.cleanup();
    }
  });

  it('records a container service on the local target as a preview that says its containers are not run locally', async () => {
    const boxes = fixtureWorkspace('containers');
    catalog.serve('component:default/boxes');
    const logger = mockServices.logger.mock();
    try {
      const ctx = createMockActionContext({
        logger,
        input: {
          appDir: '.',
          entityRef: 'component:default/boxes',
          target: 'local',
          stage: 'dev',
          prefix: 'boxes',
          commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
          approveBroadening: false,
        },
        workspacePath: boxes.path,
      });
      await action.handler(ctx);
      // Synthesized and checked (no findings), never deployed.
      expect(deployer.deploys).toHaveLength(0);
      const [deploying, ready] = environments.registrations;
      expect(deploying.statusReason).toBe(LOCAL_CONTAINERS_LABEL);
      expect(ready).toMatchObject({
        status: 'ready',
        statusReason:
          'Local preview: not deployed to AWS; containers are not run locally',
        outputs: {
          Preview: LOCAL_PREVIEW_LABEL,
          NotRunLocally: 'containers api, worker; databases main; caches jobs',
          RunsLocally: 'nothing',
        },
      });
      expect(ready.stackResources).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'AWS::ECS::Service' }),
          expect.objectContaining({ type: 'AWS::RDS::DBInstance' }),
        ]),
      );
      expect(logger.info).toHaveBeenCalledWith(
        'Not run locally: containers api, worker; databases main; caches jobs; runs locally: nothing',
      );
    } finally {
      boxes.cleanup();
    }
  });

  it('runs example 1: deploys to an AWS target and records deploying then ready', async () => {
    const ctx = createMockActionContext({
      input: exampleInput(1),
      workspacePath: workspace.path,
    });
    await action.handler(ctx);

    expect(deployer.deploys).toHaveLength(1);
    expect(deployer.deploys[0]).toMatchObject({
      stackName: 'orders-7-dev',
      prefix: 'orders-7',
      approveBroadening: true,
      target: { name: 'sandbox', accountId: '123456789012' },
    });
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'ready',
    ]);
    expect(environments.registrations[1]).toMatchObject({
      stackId:
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-7-dev/1',
      outputs: {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      },
    });
    expect(ctx.output).toHaveBeenCalledWith('outputs', {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
    });
    expect(ctx.output).toHaveBeenCalledWith('deployedToAws', true);
  });

  it('never deploys twice when a task is recovered after the deploy step', async () => {
    const store = checkpointStore();
    const input = exampleInput(1);
    const first = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    first.checkpoint = store.checkpoint as typeof first.checkpoint;
    await action.handler(first);
    const recovered = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    recovered.checkpoint = store.checkpoint as typeof recovered.checkpoint;
    await action.handler(recovered);

    expect(deployer.deploys).toHaveLength(1);
    expect(recovered.output).toHaveBeenCalledWith('environmentId', 'env-1');
    expect(recovered.output).toHaveBeenCalledWith('outputs', {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
    });
  });

  it('records a failed deploy and fails the task', async () => {
    deployer.deployError = new Error(
      'Resource handler returned message: "boom"',
    );
    const ctx = createMockActionContext({
      input: exampleInput(1),
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx)).rejects.toThrow(/boom/);
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'failed',
    ]);
    expect(environments.registrations[1].statusReason).toMatch(/boom/);
  });

  it('records a deploy refused for broadening permissions as failed, with a NotAllowedError', async () => {
    deployer.deployError = new BroadeningRefusedError('orders-7-dev');
    const ctx = createMockActionContext({
      input: { ...exampleInput(1), approveBroadening: false },
      workspacePath: workspace.path,
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/approveBroadening: true/);
    expect(deployer.deploys[0].approveBroadening).toBe(false);
    expect(environments.registrations.map(r => r.status)).toEqual([
      'deploying',
      'failed',
    ]);
  });

  it('in a dry run synthesizes and checks, and records nothing', async () => {
    // createMockActionContext does not pass isDryRun through.
    const ctx = {
      ...createMockActionContext({
        input: exampleInput(1),
        workspacePath: workspace.path,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(deployer.deploys).toHaveLength(0);
    expect(environments.registrations).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('stackName', 'orders-7-dev');
  });

  it.each([
    [
      { target: 'prod-account' },
      /target "prod-account" is not configured; configured targets: local, sandbox/,
    ],
    [
      { target: 'sandbox', stage: 'prod' },
      /target "sandbox" does not accept stage "prod"; it accepts: dev, preview/,
    ],
    [{ entityRef: 'orders' }, /entityRef "orders" is not a full entity ref/],
    [
      { branch: undefined, prefix: 'Orders_1' },
      /prefix "Orders_1" is not allowed/,
    ],
    [{ appDir: '../../etc' }, /outside the task workspace/],
  ])(
    'refuses %j with an InputError before recording or deploying',
    async (change, message) => {
      const ctx = createMockActionContext({
        input: { ...exampleInput(1), ...change },
        workspacePath: workspace.path,
      });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(environments.registrations).toEqual([]);
      expect(deployer.deploys).toHaveLength(0);
    },
  );

  it('refuses missing AWS credentials before recording or deploying', async () => {
    deployer.credentialsError = new InputError(
      'No AWS credentials for account "123456789012" of target "sandbox"',
    );
    const ctx = createMockActionContext({
      input: exampleInput(1),
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx)).rejects.toThrow(/No AWS credentials/);
    expect(environments.registrations).toEqual([]);
  });
  describe("on behalf of the task's initiator", () => {
    const ada = mockCredentials.user('user:default/ada');
    const eve = mockCredentials.user('user:default/eve');

    it('checks the deploy permission for the initiator and records every status change on their behalf', async () => {
      const ctx = startedBy(
        ada,
        createMockActionContext({
          input: exampleInput(1),
          workspacePath: workspace.path,
        }),
      );
      await action.handler(ctx);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'stackyard.environment.deploy',
            }),
            resourceRef: 'component:default/orders',
          },
        ],
        { credentials: ada },
      );
      expect(environments.registrations.map(r => r.status)).toEqual([
        'deploying',
        'ready',
      ]);
      expect(environments.registeredOnBehalfOf).toEqual([ada, ada]);
    });

    it.each([
      ['a deploy to an aws target', 1, false],
      ['a local preview', 0, false],
      ['a dry run', 1, true],
    ])(
      "refuses %s of another team's entity before synthesizing, deploying or recording anything",
      async (_what, example, isDryRun) => {
        const ctx = {
          ...startedBy(
            eve,
            createMockActionContext({
              input: exampleInput(example),
              workspacePath: workspace.path,
            }),
          ),
          isDryRun,
        };
        const error = await action.handler(ctx).catch(e => e);
        expect(error).toBeInstanceOf(NotAllowedError);
        expect(error.message).toBe(
          'You may not deploy environments of component:default/orders: that needs the stackyard.environment.deploy permission (granted to its owners)',
        );
        expect(deployer.deploys).toHaveLength(0);
        expect(environments.registrations).toEqual([]);
        expect(ctx.output).not.toHaveBeenCalled();
      },
    );

    it('stops before any CloudFormation call when the backend refuses the registration', async () => {
      environments.refusedEntities.add('component:default/orders');
      const ctx = startedBy(
        ada,
        createMockActionContext({
          input: exampleInput(1),
          workspacePath: workspace.path,
        }),
      );
      await expect(action.handler(ctx)).rejects.toBeInstanceOf(NotAllowedError);
      expect(deployer.deploys).toHaveLength(0);
    });
  });

  describe('an entity the catalog has not processed yet (catalog:register does not wait)', () => {
    const ada = mockCredentials.user('user:default/ada');
    const eve = mockCredentials.user('user:default/eve');
    const fresh = 'component:default/fresh';
    const freshInput = { ...exampleInput(1), entityRef: fresh };
    /** How many reads of the entity had been made when permission was asked. */
    let readsAtAuthorize: number[];

    beforeEach(() => {
      readsAtAuthorize = [];
      const authorize = permissions.authorize.getMockImplementation()!;
      // Like the shipped policy's isEntityOwner: no entity, no owners.
      permissions.authorize.mockImplementation(async (requests, opts) => {
        readsAtAuthorize.push(catalog.reads.length);
        if (!catalog.serves(fresh)) {
          return requests.map(() => ({ result: AuthorizeResult.DENY }));
        }
        return authorize(requests, opts);
      });
    });

    it('waits until the catalog serves the entity, reading it as the initiator, then checks the permission and deploys', async () => {
      catalog.serve(fresh, { afterReads: 2 });
      const logger = mockServices.logger.mock();
      const ctx = startedBy(
        ada,
        createMockActionContext({
          input: freshInput,
          workspacePath: workspace.path,
          logger,
        }),
      );
      await action.handler(ctx);
      expect(catalog.reads).toEqual([
        { entityRef: fresh, user: 'user:default/ada' },
        { entityRef: fresh, user: 'user:default/ada' },
        { entityRef: fresh, user: 'user:default/ada' },
      ]);
      expect(readsAtAuthorize).toEqual([3]);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^The catalog serves component:default\/fresh \(after \d+ s\)$/,
        ),
      );
      expect(deployer.deploys).toHaveLength(1);
      expect(environments.registrations.map(r => r.status)).toEqual([
        'deploying',
        'ready',
      ]);
    });

    it('fails with an InputError naming the entity, before the permission check, when the catalog never serves it', async () => {
      action = actionWith(configWith({ catalogWaitSeconds: 1 }));
      const started = Date.now();
      const ctx = startedBy(
        ada,
        createMockActionContext({
          input: freshInput,
          workspacePath: workspace.path,
        }),
      );
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        "The catalog has not processed component:default/fresh yet (waited 1 s): its owners, who may deploy it, are known only once it has. Run the task again once the entity appears in the catalog; if it never does, the catalog's log names the problem with its catalog-info.yaml.",
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(catalog.reads.length).toBeGreaterThan(1);
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(deployer.deploys).toHaveLength(0);
      expect(environments.registrations).toEqual([]);
    });

    it('still refuses a non-owner once the catalog serves the entity', async () => {
      catalog.serve(fresh, { afterReads: 1 });
      const ctx = startedBy(
        eve,
        createMockActionContext({
          input: freshInput,
          workspacePath: workspace.path,
        }),
      );
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(readsAtAuthorize).toEqual([2]);
      expect(deployer.deploys).toHaveLength(0);
      expect(environments.registrations).toEqual([]);
    });

    it.each([
      ['a dry run (nothing was registered)', config, true],
      ['catalogWaitSeconds 0', configWith({ catalogWaitSeconds: 0 }), false],
    ])(
      'does not read the catalog in %s: the permission check decides at once',
      async (_what, actionsConfig, isDryRun) => {
        action = actionWith(actionsConfig);
        const ctx = {
          ...startedBy(
            eve,
            createMockActionContext({
              input: freshInput,
              workspacePath: workspace.path,
            }),
          ),
          isDryRun,
        };
        await expect(action.handler(ctx)).rejects.toBeInstanceOf(
          NotAllowedError,
        );
        expect(catalog.reads).toEqual([]);
      },
    );
  });
});
