import {
  registerDeploymentRequestSchema,
  extendExpiryRequestSchema,
} from './schemas';

const valid = {
  entityRef: 'component:default/orders',
  target: 'local',
  prefix: 'wo-42',
  stage: 'dev',
  stackName: 'wo-42-dev',
  status: 'ready',
};

describe('registerDeploymentRequestSchema', () => {
  it('accepts a minimal deployment', () => {
    expect(registerDeploymentRequestSchema.parse(valid)).toEqual(valid);
  });

  it('accepts the git branch and commit a stack is tagged with', () => {
    const withGit = {
      ...valid,
      branch: 'feature/wo-42-add-retries',
      commit: '0123456789abcdef0123456789abcdef01234567',
    };
    expect(registerDeploymentRequestSchema.parse(withGit)).toEqual(withGit);
  });

  it('quotes bad names with the naming rules', () => {
    const result = registerDeploymentRequestSchema.safeParse({
      ...valid,
      stackName: 'wo_42',
      stage: 'dev-1',
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map(i => i.message).join('\n');
    expect(messages).toMatch(/stack name "wo_42"/);
    expect(messages).toMatch(/stage "dev-1"/);
  });

  it.each([
    [{ entityRef: 'orders' }, /full entity ref/],
    [{ status: 'done' }, /status/],
    [{ expiresAt: 'tomorrow' }, /expiresAt/],
    [{ resources: { 'AWS::S3::Bucket': -1 } }, /resources/],
    [{ unknown: 1 }, /unknown/],
    // A protected stage's stack registered under another stage.
    [
      { stackName: 'wo-prod' },
      /must be \\"<prefix>-<stage>\\", i.e. \\"wo-42-dev\\"/,
    ],
    [{ prefix: 'wo' }, /stackName/],
    [{ branch: '' }, /branch/],
    [{ branch: 'feature/x;rm -rf' }, /stackyard:branch.*is not allowed/],
    [{ branch: 'b'.repeat(257) }, /branch/],
    [{ commit: '<script>' }, /stackyard:commit.*is not allowed/],
    [{ commit: 'a'.repeat(257) }, /commit/],
  ])('rejects %j', (patch, message) => {
    const result = registerDeploymentRequestSchema.safeParse({
      ...valid,
      ...patch,
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toMatch(message);
  });
});

describe('extendExpiryRequestSchema', () => {
  it('accepts whole hours from 1 to 720', () => {
    expect(extendExpiryRequestSchema.safeParse({ hours: 24 }).success).toBe(
      true,
    );
    expect(extendExpiryRequestSchema.safeParse({ hours: 0 }).success).toBe(
      false,
    );
    expect(extendExpiryRequestSchema.safeParse({ hours: 1.5 }).success).toBe(
      false,
    );
  });
});

describe('webSocketApiDefinitionSchema (via registerDeploymentRequestSchema)', () => {
  const websocket = {
    routeSelectionExpression: '${request.body.service}/${request.body.action}',
    routes: {
      $connect: {
        integration: { type: 'http', url: 'http://127.0.0.1:3000/ws' },
      },
      'orders/create': {
        integration: {
          type: 'lambda',
          functionName: 'orders-dev-create',
          endpoint: 'http://127.0.0.1:3002',
        },
        response: true,
      },
    },
  };

  it('accepts lambda and http routes', () => {
    expect(
      registerDeploymentRequestSchema.parse({ ...valid, websocket }).websocket,
    ).toEqual(websocket);
  });

  it.each([
    [
      {
        routes: {
          $default: { integration: { type: 'module', handler: 'h.js#h' } },
        },
      },
      /integration.type must be/,
    ],
    [
      {
        routes: { $other: { integration: { type: 'http', url: 'http://x' } } },
      },
      /route keys are/,
    ],
    [
      {
        routes: {
          $default: {
            integration: { type: 'http', url: 'file:///etc/passwd' },
          },
        },
      },
      /url/i,
    ],
    [
      { routeSelectionExpression: 'action', routes: websocket.routes },
      /\$request\.body/,
    ],
    [{ routes: {} }, /between 1 and 300 routes/],
  ])('rejects %j', (definition, message) => {
    const result = registerDeploymentRequestSchema.safeParse({
      ...valid,
      websocket: definition,
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toMatch(message);
  });
});

describe('stackResources (via registerDeploymentRequestSchema)', () => {
  const resources = [
    { logicalId: 'OrdersQueue4A1B2C3D', type: 'AWS::SQS::Queue' },
    {
      logicalId: 'CustomResource',
      type: 'Custom::StackyardSeeder',
      physicalId: 'seed-1',
    },
  ];

  it('accepts synthesized resources with and without physical ids', () => {
    expect(
      registerDeploymentRequestSchema.parse({
        ...valid,
        stackResources: resources,
      }).stackResources,
    ).toEqual(resources);
  });

  it('accepts 500 resources and refuses 501 with the limit', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        logicalId: `Fn${i}`,
        type: 'AWS::Lambda::Function',
      }));
    expect(
      registerDeploymentRequestSchema.safeParse({
        ...valid,
        stackResources: many(500),
      }).success,
    ).toBe(true);
    const result = registerDeploymentRequestSchema.safeParse({
      ...valid,
      stackResources: many(501),
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/at most 500 resources/);
  });

  it.each([
    [[{ logicalId: 'my-queue', type: 'AWS::SQS::Queue' }], /logical id/],
    [[{ logicalId: 'Queue', type: 'SQS Queue' }], /resource type/],
    [[{ logicalId: 'Queue', type: 'AWS::SQS::Queue', extra: 1 }], /extra/],
    [
      [
        { logicalId: 'Queue', type: 'AWS::SQS::Queue' },
        { logicalId: 'Queue', type: 'AWS::SNS::Topic' },
      ],
      /duplicate logical id \\"Queue\\"/,
    ],
  ])('rejects %j', (stackResources, message) => {
    const result = registerDeploymentRequestSchema.safeParse({
      ...valid,
      stackResources,
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toMatch(message);
  });
});
