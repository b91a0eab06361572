import {
  GoneException,
  LimitExceededException,
  PayloadTooLargeException,
} from '@stackyard/ws-emulator';
import { rmSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { PreviewConnections, RunningPreview } from './types';

jest.setTimeout(90_000);

const KEY = 'SYPtestrunnerkey';

type Call = { op: string; id: string; text?: string; base64?: string };

/**
 * A real runner whose `connections` are recorded here (the backend serves
 * them with the preview's emulator: plugins/stackyard-backend's
 * realRuntimeSockets test runs that), beside a stand-in `@connections` HTTP
 * endpoint that records what reaches it over HTTP.
 */
describe('startPreview: @connections calls over the runner channel (real runner, loopback stand-in)', () => {
  let fixture: Awaited<ReturnType<typeof serverlessFixture>>;
  let preview: RunningPreview;
  let standIn: Server;
  let endpoint: string;
  let httpRequests: string[];
  let channelCalls: string[];

  const run = async (
    calls: Call[],
    options: {
      endpoint?: string;
      credentials?: object;
      oneByOne?: boolean;
    } = {},
  ) => {
    const outcome = await preview.invoke('probe', {
      action: 'connections',
      calls,
      ...options,
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    return outcome.result as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    fixture = await serverlessFixture();
    // Answers every post 200, as the API does an open connection's.
    standIn = createServer((req, res) => {
      httpRequests.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      });
    });
    await new Promise<void>(r => standIn.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${
      (standIn.address() as AddressInfo).port
    }/sockets/probe/dev`;
    const connections: PreviewConnections = {
      endpoint,
      accessKeyId: KEY,
      post: async (id, data) => {
        channelCalls.push(`post ${id} ${data.toString('base64')}`);
        if (id === 'gone') throw new GoneException(id);
        if (id === 'busy') throw new LimitExceededException(id);
        if (data.length > 100)
          throw new PayloadTooLargeException(data.length, 100);
      },
      get: async id => {
        channelCalls.push(`get ${id}`);
        if (id === 'gone') throw new GoneException(id);
        return {
          connectedAt: '2026-01-02T03:04:05.678Z',
          identity: { sourceIp: '127.0.0.1', userAgent: 'probe' },
          lastActiveAt: '2026-01-02T03:04:06.000Z',
        };
      },
      delete: async id => {
        channelCalls.push(`delete ${id}`);
      },
    };
    preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
      env: {
        WEBSOCKET_CALLBACK_URL: endpoint,
        AWS_ACCESS_KEY_ID: KEY,
        AWS_SECRET_ACCESS_KEY: 'stackyard-preview',
      },
      connections,
    });
  });

  beforeEach(() => {
    httpRequests = [];
    channelCalls = [];
  });

  afterAll(async () => {
    await preview?.stop();
    standIn?.close();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  it('posts to its own endpoint over the channel, in the order the calls were made, and none over HTTP', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    const results = await run(
      texts.map(text => ({ op: 'PostToConnection', id: 'c1', text })),
    );
    expect(results).toEqual(
      texts.map(() => ({ status: 200, attempts: 1, output: {} })),
    );
    expect(channelCalls).toEqual(
      texts.map(t => `post c1 ${Buffer.from(t).toString('base64')}`),
    );
    expect(httpRequests).toEqual([]);
  });

  it('carries text and binary data as the bytes the SDK would send', async () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    await run([
      { op: 'PostToConnection', id: 'c1', text: 'é ✓ \u0000 "q"' },
      { op: 'PostToConnection', id: 'c1', base64: binary.toString('base64') },
    ]);
    expect(channelCalls).toEqual([
      `post c1 ${Buffer.from('é ✓ \u0000 "q"').toString('base64')}`,
      `post c1 ${binary.toString('base64')}`,
    ]);
  });

  it("throws the API's exceptions as the SDK's own classes, with their status", async () => {
    const [gone, tooLarge, getGone] = await run([
      { op: 'PostToConnection', id: 'gone', text: 'x' },
      { op: 'PostToConnection', id: 'c1', text: 'x'.repeat(101) },
      { op: 'GetConnection', id: 'gone' },
    ]);
    const sdkError = { fault: 'client', modelled: true, exactClass: true };
    expect(gone).toEqual({
      ...sdkError,
      error: 'GoneException',
      message: 'Connection gone is gone',
      status: 410,
    });
    expect(tooLarge).toEqual({
      ...sdkError,
      error: 'PayloadTooLargeException',
      message: 'Payload of 101 bytes exceeds the limit of 100 bytes',
      status: 413,
    });
    expect(getGone).toMatchObject({ error: 'GoneException', status: 410 });
    expect(httpRequests).toEqual([]);
  });

  it("gets and deletes a connection over the channel, with the HTTP path's outputs", async () => {
    const [got, deleted] = await run([
      { op: 'GetConnection', id: 'c1' },
      { op: 'DeleteConnection', id: 'c1' },
    ]);
    expect(got).toEqual({
      status: 200,
      attempts: 1,
      output: {
        ConnectedAt: '2026-01-02T03:04:05.678Z',
        Identity: { SourceIp: '127.0.0.1', UserAgent: 'probe' },
        LastActiveAt: '2026-01-02T03:04:06.000Z',
      },
    });
    expect(deleted).toEqual({ status: 204, attempts: 1, output: {} });
    expect(channelCalls).toEqual(['get c1', 'delete c1']);
    expect(httpRequests).toEqual([]);
  });

  it('runs middleware the handler adds to its client after its first calls, still over the channel', async () => {
    const results = await run(
      [
        { op: 'PostToConnection', id: 'c1', text: 'a' },
        { op: 'GetConnection', id: 'c2' },
        { op: 'watch', id: '' },
        { op: 'PostToConnection', id: 'c3', text: 'b' },
        { op: 'GetConnection', id: 'c4' },
      ],
      { oneByOne: true },
    );
    expect(results[2]).toEqual({ seen: ['c3', 'c4'] });
    expect(channelCalls).toEqual([
      `post c1 ${Buffer.from('a').toString('base64')}`,
      'get c2',
      `post c3 ${Buffer.from('b').toString('base64')}`,
      'get c4',
    ]);
    expect(httpRequests).toEqual([]);
  });

  it('sends a call to another endpoint, or signed with another key, over HTTP as before', async () => {
    const other = endpoint.replace('/probe/', '/other/');
    const results = [
      ...(await run([{ op: 'PostToConnection', id: 'c1', text: 'a' }], {
        endpoint: other,
      })),
      ...(await run([{ op: 'PostToConnection', id: 'c1', text: 'b' }], {
        credentials: { accessKeyId: 'SOMEONEELSE', secretAccessKey: 'x' },
      })),
    ];
    expect(results.map(r => r.status)).toEqual([200, 200]);
    expect(httpRequests).toEqual([
      'POST /sockets/other/dev/@connections/c1',
      'POST /sockets/probe/dev/@connections/c1',
    ]);
    expect(channelCalls).toEqual([]);
  });

  it('makes a call the SDK would retry (throttled) again over HTTP, and an over-long id too', async () => {
    const longId = 'i'.repeat(129);
    const [busy, long] = await run([
      { op: 'PostToConnection', id: 'busy', text: 'x' },
      { op: 'PostToConnection', id: longId, text: 'x' },
    ]);
    expect(busy).toEqual({ status: 200, attempts: 1, output: {} });
    expect(long).toEqual({ status: 200, attempts: 1, output: {} });
    expect(channelCalls).toEqual([
      `post busy ${Buffer.from('x').toString('base64')}`,
    ]);
    expect(httpRequests.sort()).toEqual(
      [
        'POST /sockets/probe/dev/@connections/busy',
        `POST /sockets/probe/dev/@connections/${longId}`,
      ].sort(),
    );
  });
});
