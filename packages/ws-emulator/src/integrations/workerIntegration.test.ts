import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleConnectEvent } from '../testing/sampleConnectEvent';
import type { StandaloneServer } from '../standalone';
import { connect, startTestApi } from '../testing/harness';
import { invokeWithTimeout } from './invoke';
import { IntegrationError, IntegrationTimeoutError } from './types';
import { workerIntegration } from './workerIntegration';

jest.setTimeout(30_000);

const event = sampleConnectEvent();

let dir: string;
const closers: (() => unknown)[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-integration-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) {
    await close();
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeModule(name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  return file;
}

function integration(options: Parameters<typeof workerIntegration>[0]) {
  const created = workerIntegration(options);
  closers.push(() => created.close?.());
  return created;
}

const threadIdHandler = `
const { threadId } = require('node:worker_threads');
exports.handler = async (event, context) => {
  await new Promise(r => setTimeout(r, 30));
  return {
    statusCode: 200,
    body: JSON.stringify({
      threadId,
      routeKey: event.requestContext.routeKey,
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      remaining: context.getRemainingTimeInMillis(),
    }),
  };
};`;

describe('workerIntegration', () => {
  it('runs a CommonJS handler off the main thread with a Lambda-style context', async () => {
    const file = writeModule('cjs.js', threadIdHandler);
    const worker = integration({ module: file, name: 'fn' });
    expect(worker.description).toBe('worker:fn');
    const result = await invokeWithTimeout(worker, event, 5000);
    const body = JSON.parse(result!.body!);
    expect(body.threadId).toBeGreaterThan(0);
    expect(body).toMatchObject({
      routeKey: '$connect',
      functionName: 'fn',
      awsRequestId: event.requestContext.requestId,
    });
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(5000);
  });

  it('loads an ES module and a named export', async () => {
    const file = writeModule(
      'esm.mjs',
      'export const onMessage = async e => ({ statusCode: 200, body: e.requestContext.stage });',
    );
    const worker = integration({ module: file, export: 'onMessage' });
    expect(worker.description).toBe('worker:esm.mjs#onMessage');
    expect((await invokeWithTimeout(worker, event, 5000))?.body).toBe('dev');
  });

  it('spreads concurrent invocations over its threads', async () => {
    const file = writeModule('spread.js', threadIdHandler);
    const worker = integration({ module: file, workers: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => invokeWithTimeout(worker, event, 5000)),
    );
    const threads = new Set(results.map(r => JSON.parse(r!.body!).threadId));
    expect(threads.size).toBe(2);
  });

  it('fails an invocation with the error the handler threw', async () => {
    const file = writeModule(
      'throws.js',
      'exports.handler = async () => { throw new Error("boom"); };',
    );
    const worker = integration({ module: file });
    await expect(invokeWithTimeout(worker, event, 5000)).rejects.toThrow(
      /boom/,
    );
  });

  it('fails every invocation with the load error of a broken module', async () => {
    const file = writeModule('noexport.js', 'exports.other = () => {};');
    const worker = integration({ module: file });
    const first = invokeWithTimeout(worker, event, 5000);
    await expect(first).rejects.toThrow(IntegrationError);
    await expect(first).rejects.toThrow(
      /cannot load handler .*noexport\.js.*has no function export "handler"/,
    );
    await expect(invokeWithTimeout(worker, event, 5000)).rejects.toThrow(
      /cannot load handler/,
    );
  });

  it('fails the invocations of a thread that exits and replaces the thread', async () => {
    const file = writeModule(
      'exits.js',
      `exports.handler = async e => {
        if (e.requestContext.stage === 'exit') process.exit(3);
        return { statusCode: 200, body: 'alive' };
      };`,
    );
    const worker = integration({ module: file });
    const exiting = {
      ...event,
      requestContext: { ...event.requestContext, stage: 'exit' },
    };
    await expect(invokeWithTimeout(worker, exiting, 5000)).rejects.toThrow(
      /worker exited \(3\)/,
    );
    expect((await invokeWithTimeout(worker, event, 5000))?.body).toBe('alive');
  });

  it('times out a handler that never answers', async () => {
    const file = writeModule(
      'hangs.js',
      'exports.handler = () => new Promise(() => {});',
    );
    const worker = integration({ module: file });
    await expect(invokeWithTimeout(worker, event, 100)).rejects.toThrow(
      IntegrationTimeoutError,
    );
  });

  it('rejects bad options with a clear error', () => {
    expect(() => workerIntegration({ module: 'relative.js' })).toThrow(
      /must be an absolute path/,
    );
    expect(() =>
      workerIntegration({ module: path.join(dir, 'missing.js') }),
    ).toThrow(/does not exist/);
    const file = writeModule('ok.js', 'exports.handler = () => {};');
    expect(() => workerIntegration({ module: file, workers: 0 })).toThrow(
      /workers must be an integer from 1 to 64/,
    );
  });

  it('echoes through @connections with the real SDK from a worker thread', async () => {
    const sdk = require.resolve('@aws-sdk/client-apigatewaymanagementapi');
    const file = writeModule(
      'sdkEcho.js',
      `const { ApiGatewayManagementApiClient, PostToConnectionCommand } =
         require(${JSON.stringify(sdk)});
      exports.handler = async event => {
        const { domainName, stage, connectionId } = event.requestContext;
        const client = new ApiGatewayManagementApiClient({
          endpoint: 'http://' + domainName + '/' + stage,
          region: 'us-east-1',
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
          maxAttempts: 1,
        });
        await client.send(new PostToConnectionCommand({
          ConnectionId: connectionId,
          Data: 'echo:' + event.body,
        }));
        client.destroy();
        return { statusCode: 200 };
      };`,
    );
    const api: StandaloneServer = await startTestApi({
      routes: {
        $default: { integration: workerIntegration({ module: file }) },
      },
    });
    closers.push(() => api.close());
    const client = await connect(api.url);
    closers.push(() => client.close());
    client.send('hello');
    expect(await client.message()).toBe('echo:hello');
  });
});
