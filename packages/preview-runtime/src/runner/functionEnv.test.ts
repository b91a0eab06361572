import type { FunctionPlan, PreviewPlan } from '../plan/types';
import { functionEnv } from './functionEnv';

const fn: FunctionPlan = {
  name: 'message',
  logicalId: 'MessageFn',
  file: '/checkout/functions/message/index.js',
  exportName: 'handler',
  codeDir: '/checkout/functions/message',
  handler: 'index.handler',
  timeoutSeconds: 10,
  memorySize: 256,
  environment: {
    TABLE_CONNECTIONS: [{ table: 'chat-dev-connections', attribute: 'name' }],
  },
};
const plan: PreviewPlan = {
  stackName: 'chat-dev',
  region: 'us-east-1',
  accountId: '000000000000',
  functions: [fn],
  tables: [],
  queues: [],
  mappings: [],
  notes: [],
};
const endpoints = { dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:2' };

describe('functionEnv', () => {
  it('gives dummy credentials and the engines, which extra variables cannot redirect', () => {
    const env = functionEnv(
      fn,
      plan,
      endpoints,
      {
        WEBSOCKET_CALLBACK_URL:
          'http://127.0.0.1:7007/api/stackyard/sockets/x/dev',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://elsewhere',
        AWS_LAMBDA_FUNCTION_NAME: 'other',
      },
      {},
    );
    expect(env).toMatchObject({
      TABLE_CONNECTIONS: 'chat-dev-connections',
      WEBSOCKET_CALLBACK_URL:
        'http://127.0.0.1:7007/api/stackyard/sockets/x/dev',
      AWS_ACCESS_KEY_ID: 'preview',
      AWS_SECRET_ACCESS_KEY: 'preview',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_LAMBDA_FUNCTION_NAME: 'message',
    });
  });

  it('takes the credentials the portal gives (the key its @connections API accepts)', () => {
    const env = functionEnv(
      fn,
      plan,
      endpoints,
      {
        AWS_ACCESS_KEY_ID: 'SYPkey',
        AWS_SECRET_ACCESS_KEY: 'stackyard-preview',
      },
      {},
    );
    expect(env.AWS_ACCESS_KEY_ID).toBe('SYPkey');
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('stackyard-preview');
  });
});
