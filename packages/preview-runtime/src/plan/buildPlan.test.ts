import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PreviewPlanError, buildPlan } from './buildPlan';
import { dlqOfFunctions } from './dlqOfFunctions';

const manifest = (functions: object) => ({
  service: {
    name: 'svc',
    project: 'p',
    costCenter: 'cc',
    owner: 'component:default/svc',
  },
  functions,
});

const template = (resources: object) => ({ Resources: resources });

const lambda = (env: object = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Handler: 'index.handler',
    Timeout: 7,
    MemorySize: 256,
    Environment: { Variables: env },
  },
  Metadata: { 'aws:cdk:path': 'svc-dev/Api/Function/Resource' },
});

const api = {
  handler: 'index.handler',
  code: 'functions/api',
  timeout: 5,
  memorySize: 128,
  reservedConcurrency: 1,
};

describe('buildPlan', () => {
  let root: string;
  let checkout: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'build-plan-')));
    checkout = join(root, 'checkout');
    mkdirSync(join(checkout, 'functions', 'api'), { recursive: true });
    writeFileSync(
      join(checkout, 'functions', 'api', 'index.js'),
      'exports.handler = async () => 1;',
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const plan = (m: unknown, t: unknown) =>
    buildPlan({
      checkoutDir: checkout,
      manifest: m,
      template: t,
      workDir: join(root, 'work'),
    });

  it('resolves environment variables: Ref and GetAtt of queues and tables, pseudo parameters, Fn::Join', () => {
    const result = plan(
      manifest({ api }),
      template({
        Api: lambda({
          PLAIN: 'x',
          QUEUE: { Ref: 'JobsQ' },
          QUEUE_ARN: { 'Fn::GetAtt': ['JobsQ', 'Arn'] },
          TABLE: { Ref: 'ItemsT' },
          JOINED: {
            'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'ItemsT' }]],
          },
          UNKNOWN: { Ref: 'SomeBucket' },
        }),
        JobsQ: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: 'jobs-q', VisibilityTimeout: 60 },
        },
        ItemsT: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            TimeToLiveSpecification: {
              AttributeName: 'expiresAt',
              Enabled: true,
            },
          },
        },
        SomeBucket: { Type: 'AWS::S3::Bucket' },
      }),
    );
    const [fn] = result.functions;
    expect(fn).toMatchObject({
      name: 'api',
      exportName: 'handler',
      timeoutSeconds: 7,
      memorySize: 256,
    });
    expect(fn.file).toBe(join(checkout, 'functions', 'api', 'index.js'));
    expect(fn.environment).toEqual({
      PLAIN: ['x'],
      QUEUE: [{ queue: 'jobs-q', attribute: 'url' }],
      QUEUE_ARN: [{ queue: 'jobs-q', attribute: 'arn' }],
      TABLE: [{ table: 'ItemsT', attribute: 'name' }],
      JOINED: ['us-east-1', '/', { table: 'ItemsT', attribute: 'name' }],
    });
    expect(result.notes.join('\n')).toContain('UNKNOWN');
    expect(result.queues).toEqual([
      expect.objectContaining({ name: 'jobs-q', visibilityTimeout: 60 }),
    ]);
    expect(result.tables[0].timeToLiveAttribute).toBe('expiresAt');
  });

  it('refuses a code directory outside the checkout', () => {
    expect(() =>
      plan(
        manifest({ api: { ...api, code: '../outside' } }),
        template({ Api: lambda() }),
      ),
    ).toThrow(/outside the checkout/);
  });

  it('refuses a handler that a symbolic link leads outside the checkout', () => {
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(
      join(root, 'elsewhere', 'index.js'),
      'exports.handler = () => 1;',
    );
    rmSync(join(checkout, 'functions', 'api'), { recursive: true });
    symlinkSync(join(root, 'elsewhere'), join(checkout, 'functions', 'api'));
    expect(() => plan(manifest({ api }), template({ Api: lambda() }))).toThrow(
      /outside the checkout/,
    );
  });

  it('says which file a missing handler needs, and refuses an invalid manifest', () => {
    expect(() =>
      plan(
        manifest({ api: { ...api, handler: 'main.run' } }),
        template({ Api: lambda() }),
      ),
    ).toThrow(/function api: handler "main.run" needs .*main\.js/);
    expect(() => plan({ service: {} }, template({}))).toThrow(PreviewPlanError);
    expect(() => plan(manifest({ api }), { nothing: true })).toThrow(
      /no Resources/,
    );
  });

  it('names what the manifest built by the manifest: queue, its DLQ, the function DLQ, the table', () => {
    cpSync(
      join(checkout, 'functions', 'api'),
      join(checkout, 'functions', 'worker'),
      { recursive: true },
    );
    const result = plan(
      {
        ...manifest({ worker: { ...api, code: 'functions/worker' } }),
        queues: { jobs: { consumer: 'worker' } },
      },
      template({
        WorkerFn: {
          ...lambda(),
          Properties: {
            ...lambda().Properties,
            DeadLetterConfig: {
              TargetArn: { 'Fn::GetAtt': ['WorkerDlq', 'Arn'] },
            },
          },
          Metadata: { 'aws:cdk:path': 'svc-dev/Worker/Function/Resource' },
        },
        WorkerDlq: {
          Type: 'AWS::SQS::Queue',
          Metadata: {
            'aws:cdk:path': 'svc-dev/Worker/DeadLetterQueue/Resource',
          },
        },
        JobsDlq: {
          Type: 'AWS::SQS::Queue',
          Metadata: {
            'aws:cdk:path': 'svc-dev/JobsQueue/DeadLetterQueue/Resource',
          },
        },
        JobsQ: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            RedrivePolicy: {
              deadLetterTargetArn: { 'Fn::GetAtt': ['JobsDlq', 'Arn'] },
              maxReceiveCount: 3,
            },
          },
          Metadata: { 'aws:cdk:path': 'svc-dev/JobsQueue/Queue/Resource' },
        },
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['JobsQ', 'Arn'] },
            FunctionName: { Ref: 'WorkerFn' },
            BatchSize: 5,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      }),
    );
    expect(result.queues.map(q => q.name)).toEqual([
      'worker-dlq',
      'jobs-dlq',
      'jobs',
    ]);
    expect(result.queues[2].redrive).toEqual({
      deadLetterQueue: 'jobs-dlq',
      maxReceiveCount: 3,
    });
    expect(result.mappings).toEqual([
      {
        queue: 'jobs',
        function: 'worker',
        batchSize: 5,
        reportBatchItemFailures: true,
      },
    ]);
    expect(result.functions[0].deadLetterQueue).toBe('worker-dlq');
    expect(dlqOfFunctions(result, 'worker-dlq')).toEqual({
      dlqOfFunctions: ['worker'],
    });
    expect(dlqOfFunctions(result, 'jobs-dlq')).toEqual({});
  });

  it("leaves out a function's dead-letter target that is not a queue of the stack (an SNS topic)", () => {
    const result = plan(
      manifest({ api }),
      template({
        Api: {
          ...lambda(),
          Properties: {
            ...lambda().Properties,
            DeadLetterConfig: { TargetArn: { Ref: 'FailuresTopic' } },
          },
        },
        FailuresTopic: { Type: 'AWS::SNS::Topic' },
      }),
    );
    expect(result.functions[0].name).toBe('api');
    expect(result.functions[0]).not.toHaveProperty('deadLetterQueue');
  });
});
