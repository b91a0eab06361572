import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleConnectEvent } from '../testing/sampleConnectEvent';
import { httpIntegration } from './httpIntegration';
import { invokeWithTimeout } from './invoke';
import { lambdaIntegration } from './lambdaIntegration';
import { moduleIntegration } from './moduleIntegration';
import { IntegrationError, IntegrationTimeoutError } from './types';

const event = sampleConnectEvent();

async function serve(
  handler: http.RequestListener,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(req: http.IncomingMessage): Promise<any> {
  return new Promise(resolve => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => resolve(JSON.parse(body)));
  });
}

describe('integrations', () => {
  it('module: calls the handler with the event and a Lambda-style context', async () => {
    const integration = moduleIntegration({
      name: 'fn',
      handler: async (e, context) => ({
        statusCode: 200,
        body: `${e.requestContext.routeKey}:${context.functionName}:${
          context.awsRequestId
        }:${context.getRemainingTimeInMillis() > 0}`,
      }),
    });
    const result = await invokeWithTimeout(integration, event, 1000);
    expect(result?.body).toBe(
      `$connect:fn:${event.requestContext.requestId}:true`,
    );
    expect(() => moduleIntegration({ handler: 'nope' as never })).toThrow(
      /not a function/,
    );
  });

  it('wraps thrown errors and times out hanging handlers', async () => {
    const failing = moduleIntegration({
      handler: () => {
        throw new Error('boom');
      },
    });
    await expect(invokeWithTimeout(failing, event, 1000)).rejects.toThrow(
      IntegrationError,
    );
    await expect(invokeWithTimeout(failing, event, 1000)).rejects.toThrow(
      /boom/,
    );
    const hanging = moduleIntegration({ handler: () => new Promise(() => {}) });
    await expect(invokeWithTimeout(hanging, event, 50)).rejects.toBeInstanceOf(
      IntegrationTimeoutError,
    );
  });

  it('http: POSTs the event as JSON and reads a proxy result', async () => {
    const received: any[] = [];
    const endpoint = await serve(async (req, res) => {
      received.push({
        method: req.method,
        type: req.headers['content-type'],
        body: await readJson(req),
      });
      if (req.url === '/fail') {
        res.writeHead(502).end('bad gateway');
      } else if (req.url === '/empty') {
        res.writeHead(200).end();
      } else if (req.url === '/text') {
        res.writeHead(200).end('hello');
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"statusCode":403,"body":"no"}');
      }
    });
    const ok = httpIntegration({ url: `${endpoint.url}/connect` });
    const fail = httpIntegration({ url: `${endpoint.url}/fail` });
    const empty = httpIntegration({ url: `${endpoint.url}/empty` });
    const text = httpIntegration({ url: `${endpoint.url}/text` });
    try {
      expect(await invokeWithTimeout(ok, event, 5000)).toMatchObject({
        statusCode: 403,
        body: 'no',
      });
      expect(received[0]).toEqual({
        method: 'POST',
        type: 'application/json',
        body: event,
      });
      await expect(invokeWithTimeout(fail, event, 5000)).rejects.toThrow(
        /answered 502/,
      );
      expect(await invokeWithTimeout(empty, event, 5000)).toBeUndefined();
      await expect(invokeWithTimeout(text, event, 5000)).rejects.toThrow(
        /not JSON/,
      );
    } finally {
      [ok, fail, empty, text].forEach(i => i.close?.());
      await endpoint.close();
    }
    expect(() => httpIntegration({ url: 'ftp://x' })).toThrow(/"ftp:\/\/x"/);
    expect(() => httpIntegration({ url: 'not a url' })).toThrow(/"not a url"/);
  });

  it('lambda: invokes through the Lambda Invoke API at a configurable endpoint', async () => {
    const calls: { path: string; body: any }[] = [];
    const endpoint = await serve(async (req, res) => {
      calls.push({ path: req.url!, body: await readJson(req) });
      if (req.url!.includes('/functions/broken/')) {
        res.writeHead(200, {
          'x-amz-function-error': 'Unhandled',
          'content-type': 'application/json',
        });
        res.end('{"errorMessage":"kaput"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 200, body: 'from lambda' }));
    });
    const options = {
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    };
    const ok = lambdaIntegration({ functionName: 'my-fn', ...options });
    const broken = lambdaIntegration({ functionName: 'broken', ...options });
    try {
      expect(await invokeWithTimeout(ok, event, 5000)).toMatchObject({
        statusCode: 200,
        body: 'from lambda',
      });
      expect(calls[0].path).toBe('/2015-03-31/functions/my-fn/invocations');
      expect(calls[0].body).toEqual(event);
      await expect(invokeWithTimeout(broken, event, 5000)).rejects.toThrow(
        /Unhandled.*kaput/,
      );
    } finally {
      ok.close?.();
      broken.close?.();
      await endpoint.close();
    }
    expect(() => lambdaIntegration({ functionName: '' })).toThrow(
      /functionName is required/,
    );
  });
});
