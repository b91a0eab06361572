const mockLoaded: string[] = [];

jest.mock('@aws-sdk/client-lambda', () => {
  mockLoaded.push('@aws-sdk/client-lambda');
  return jest.requireActual('@aws-sdk/client-lambda');
});
jest.mock('zod', () => {
  mockLoaded.push('zod');
  return jest.requireActual('zod');
});
jest.mock('yaml', () => {
  mockLoaded.push('yaml');
  return jest.requireActual('yaml');
});

describe('dependencies loaded on demand', () => {
  it('loads neither the Lambda SDK nor the config loader with the package', async () => {
    const { lambdaIntegration, runCli, WebSocketApiEmulator } =
      require('./index') as typeof import('./index');
    const emulator = WebSocketApiEmulator.create({
      routes: {
        $default: {
          integration: lambdaIntegration({
            functionName: 'fn',
            endpoint: 'http://127.0.0.1:1',
          }),
        },
      },
    });
    await runCli(['--help'], { out: () => {}, err: () => {} });
    await emulator.close();
    expect(mockLoaded).toEqual([]);
  });

  it('loads the Lambda SDK on the first invocation', async () => {
    const { lambdaIntegration } =
      require('./integrations/lambdaIntegration') as typeof import('./integrations/lambdaIntegration');
    const integration = lambdaIntegration({
      functionName: 'fn',
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      integration.invoke(
        {
          requestContext: { requestId: 'r' },
          isBase64Encoded: false,
        } as Parameters<typeof integration.invoke>[0],
        {
          awsRequestId: 'r',
          deadline: Date.now() + 1000,
          signal: controller.signal,
        },
      ),
    ).rejects.toThrow();
    integration.close?.();
    expect(mockLoaded).toContain('@aws-sdk/client-lambda');
  });
});
