import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeService } from './testing/serviceFixture';

const mockLoaded: string[] = [];

jest.mock('@aws-sdk/client-lambda', () => {
  mockLoaded.push('@aws-sdk/client-lambda');
  return jest.requireActual('@aws-sdk/client-lambda');
});
jest.mock('zod', () => {
  mockLoaded.push('zod');
  return jest.requireActual('zod');
});
jest.mock('aws-cdk-lib', () => {
  mockLoaded.push('aws-cdk-lib');
  return jest.requireActual('aws-cdk-lib');
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

describe('the manifest loader', () => {
  it('reads a service manifest through cdk-guardrails without loading aws-cdk-lib', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lazy-manifest-'));
    try {
      await writeService(dir);
      const { loadManifestApi } =
        require('./manifest/manifestApi') as typeof import('./manifest/manifestApi');
      expect(Object.keys(loadManifestApi(dir).routes)).toContain('publish');
      expect(mockLoaded).toContain('yaml');
      expect(mockLoaded).not.toContain('aws-cdk-lib');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
