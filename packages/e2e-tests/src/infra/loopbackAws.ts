import type { LoopbackAlarm, StackSeed } from '@stackyard/test-support/aws';

/**
 * The `aws` target of the e2e portal: a fake account whose CloudFormation
 * and CloudWatch are a loopback endpoint started by globalSetup.
 */
export const awsTarget = {
  name: 'e2e-aws',
  accountId: '123456789012',
  region: 'eu-west-1',
  // The wizard offers only these of a template's stages on this target.
  stages: ['preview', 'staging', 'prod'],
} as const;

/** globalSetup publishes the loopback endpoint's URL here for the tests. */
export const endpointVariable = 'STACKYARD_E2E_AWS_ENDPOINT';

/** The stack id CloudFormation gives a stack of the e2e account. */
export const stackIdOf = (stackName: string) =>
  `arn:aws:cloudformation:${awsTarget.region}:${awsTarget.accountId}:stack/${stackName}/0f5c2a90-1d1e-11f0-9e4b-0a1b2c3d4e5f`;

const queueUrl = (name: string) =>
  `https://sqs.${awsTarget.region}.amazonaws.com/${awsTarget.accountId}/${name}`;

type Stack = Omit<StackSeed, 'id'>;

/**
 * The Stackyard tags a deploy gives a stack: the backend records a
 * deployment a CI token registers only for a stack tagged for its entity.
 */
const deployedFor = (entity: string, prefix: string, stage: string) => ({
  'stackyard:entity-ref': `component:default/${entity}`,
  'stackyard:prefix': prefix,
  'stackyard:stage': stage,
});

/**
 * What CloudFormation holds for the stacks the Infra tab tests register on
 * the `aws` target, by stack name. Resources are in ListStackResources
 * order, not the order the tab shows.
 */
export const stacks: Record<string, Stack> = {
  'ie2e-dev': {
    name: 'ie2e-dev',
    status: 'UPDATE_COMPLETE',
    tags: deployedFor('infra-e2e-owned', 'ie2e', 'dev'),
    outputs: {
      ApiUrl: 'https://ie2e-dev.example.com',
      SocketUrl: 'wss://ie2e-dev.example.com/live',
    },
    resources: [
      {
        logicalId: 'OrdersQueue',
        type: 'AWS::SQS::Queue',
        physicalId: queueUrl('ie2e-dev-OrdersQueue-1x2Y3z'),
      },
      {
        logicalId: 'ApiHandler',
        type: 'AWS::Lambda::Function',
        physicalId: 'ie2e-dev-ApiHandler-Q7bN4kLm2Zp',
      },
      {
        logicalId: 'OrdersDlq',
        type: 'AWS::SQS::Queue',
        physicalId: queueUrl('ie2e-dev-OrdersDlq-8hJ5wR'),
      },
      {
        logicalId: 'OrdersWorker',
        type: 'AWS::Lambda::Function',
        physicalId: 'ie2e-dev-OrdersWorker-Vt3sX9cQe1',
      },
    ],
  },
  'ie2e-prod': {
    name: 'ie2e-prod',
    status: 'UPDATE_COMPLETE',
    tags: deployedFor('infra-e2e-owned', 'ie2e', 'prod'),
    terminationProtection: true,
  },
  'ie2e-7-dev': {
    name: 'ie2e-7-dev',
    status: 'CREATE_COMPLETE',
    tags: deployedFor('infra-e2e-owned', 'ie2e-7', 'dev'),
  },
  'fe2e-dev': {
    name: 'fe2e-dev',
    status: 'CREATE_COMPLETE',
    tags: deployedFor('infra-e2e-foreign', 'fe2e', 'dev'),
  },
  'se2e-qa': {
    name: 'se2e-qa',
    status: 'CREATE_COMPLETE',
    tags: deployedFor('infra-e2e-sockets', 'se2e', 'qa'),
    resources: [
      {
        logicalId: 'Jobs',
        type: 'AWS::SQS::Queue',
        physicalId: queueUrl('se2e-qa-jobs'),
      },
      {
        logicalId: 'HandlerInvokePermission',
        type: 'AWS::Lambda::Permission',
        physicalId: 'se2e-qa-HandlerInvokePermission-1RZ0M8',
      },
      {
        logicalId: 'Handler',
        type: 'AWS::Lambda::Function',
        physicalId: 'se2e-qa-handler',
      },
    ],
  },
};

/**
 * A branch preview that CI creates directly on the loopback endpoint
 * (CreateStack with Stackyard's tags) for discovery to find, and a change
 * made to it outside CloudFormation, which a drift check reports.
 */
export const ciStack = {
  name: 'de2e-wo-42-dev',
  entityRef: 'component:default/infra-e2e-discovered',
  prefix: 'de2e-wo-42',
  stage: 'dev',
  branch: 'feature/wo-42-x',
  commit: '4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
  template: {
    Resources: {
      Jobs: {
        Type: 'AWS::SQS::Queue',
        Properties: { VisibilityTimeout: 30 },
      },
    },
  },
  drift: { logicalId: 'Jobs', actual: { VisibilityTimeout: 300 } },
} as const;

/**
 * The account's alarms. Stackyard gives an alarm to the stack whose name,
 * followed by `-`, is its name's longest prefix, so `ie2e-dev` gets four
 * and the others none of these (`orphan-` has no stack at all).
 */
export const alarms: LoopbackAlarm[] = [
  { name: 'ie2e-dev-api-latency', type: 'metric', state: 'OK' },
  {
    name: 'ie2e-dev-orders-dlq-depth',
    type: 'metric',
    state: 'ALARM',
    reason: 'Threshold Crossed: 1 datapoint [3.0] > 0',
  },
  { name: 'ie2e-dev-api-5xx', type: 'metric', state: 'INSUFFICIENT_DATA' },
  { name: 'ie2e-dev-health', type: 'composite', state: 'OK' },
  { name: 'ie2e-prod-api-5xx', type: 'metric', state: 'OK' },
  { name: 'orphan-queue-depth', type: 'metric', state: 'ALARM' },
];
