import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StandaloneServer } from '../standalone';
import { connect } from '../testing/harness';
import {
  SERVICE_MANIFEST,
  SERVICE_WEBSOCKET,
  writeService,
} from '../testing/serviceFixture';
import { runCli } from './runCli';

jest.setTimeout(30_000);

const HANDLERS = `
exports.echo = async event => ({ statusCode: 200, body: 'echo ' + event.body });
exports.connect = async event => (event.queryStringParameters && event.queryStringParameters.deny
  ? { statusCode: 403 } : { statusCode: 200 });
exports.thread = async () => ({
  statusCode: 200,
  body: String(require('node:worker_threads').threadId),
});
`;

describe('runCli', () => {
  let dir: string;
  let server: StandaloneServer | undefined;
  const lines: string[] = [];
  const output = {
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(`ERR ${l}`),
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stackyard-ws-'));
    await fs.writeFile(path.join(dir, 'handlers.js'), HANDLERS);
    lines.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves a YAML config with module routes and logs activity', async () => {
    const file = path.join(dir, 'ws.yaml');
    await fs.writeFile(
      file,
      [
        'stage: dev',
        'routeSelectionExpression: $request.body.type',
        'logFrames: true',
        'routes:',
        '  $connect: { module: ./handlers.js#connect }',
        '  echo: { module: ./handlers.js#echo, response: true }',
      ].join('\n'),
    );
    server = await runCli(['--config', file, '--port', '0'], output);
    expect(server!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(lines).toContain(`WebSocket API: ${server!.url}`);
    expect(lines).toContain(
      `@connections endpoint: ${server!.connectionsEndpoint}`,
    );
    const client = await connect(server!.url);
    client.send({ type: 'echo' });
    expect(await client.message()).toBe('echo {"type":"echo"}');
    await client.close();
    await expect(connect(`${server!.url}?deny=1`)).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(lines.some(l => /^connect \S+ from 127\.0\.0\.1$/.test(l))).toBe(
      true,
    );
    expect(lines.some(l => /^route \S+ echo ok \d+ms$/.test(l))).toBe(true);
    expect(lines.some(l => l.startsWith('frame in '))).toBe(true);
    expect(lines.some(l => l.startsWith('refused 403'))).toBe(true);
  });

  it('serves a service manifest: each route runs its function from its code directory', async () => {
    await writeService(dir);
    server = await runCli(['--manifest', dir, '--port', '0'], output);
    expect(lines).toContain('Routes: $connect, $disconnect, $default, publish');
    const client = await connect(server!.url);
    client.send({ action: 'publish', channel: 'news' });
    // One-way routes: the handler's answer arrives through @connections.
    expect(await client.message(0)).toBe(
      'publish {"action":"publish","channel":"news"}',
    );
    client.send('plain text');
    expect(await client.message(1)).toBe('$default plain text');
    await client.close();
    // $connect ran the connection function, which refuses ?deny.
    await expect(connect(`${server!.url}?deny=1`)).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(client.received).toHaveLength(2);
  });

  it('reads a manifest given as --config, with its websocket.emulator settings', async () => {
    const file = await writeService(
      dir,
      `${SERVICE_MANIFEST}${SERVICE_WEBSOCKET}  emulator: { port: 0, stage: dev, logFrames: true }\n`,
    );
    server = await runCli(['--config', file], output);
    expect(server!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    const client = await connect(server!.url);
    client.send({ action: 'publish' });
    expect(await client.message()).toBe('publish {"action":"publish"}');
    await client.close();
    expect(lines.some(l => l.startsWith('frame in '))).toBe(true);
  });

  it("lets flags override the manifest's emulator settings", async () => {
    await writeService(
      dir,
      // 192.0.2.1 (TEST-NET-1) is no local address: listening on it fails.
      `${SERVICE_MANIFEST}${SERVICE_WEBSOCKET}  emulator: { host: 192.0.2.1, port: 0 }\n`,
    );
    await expect(runCli(['--manifest', dir], output)).rejects.toThrow(
      /192\.0\.2\.1/,
    );
    server = await runCli(
      ['--manifest', dir, '--host', '127.0.0.1', '--port', '0'],
      output,
    );
    expect(server!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/local$/);
  });

  it.each([
    [
      'a route naming an unknown function',
      SERVICE_WEBSOCKET.replace('publish: message', 'publish: mesage'),
      /websocket\.routes\.publish: unknown function "mesage"/,
    ],
    [
      'a bad emulator setting',
      `${SERVICE_WEBSOCKET}  emulator: { prot: 3001 }\n`,
      /websocket\.emulator[\s\S]*"prot"/,
    ],
    [
      'the old "<path>#<export>" route shape',
      'websocket:\n  routes:\n    $default: functions/message/index.js#handler\n',
      /websocket\.routes\.\$default/,
    ],
    ['no websocket section', '', /no "websocket" section/],
  ])('rejects a manifest with %s', async (_what, websocket, message) => {
    await writeService(dir, SERVICE_MANIFEST + websocket);
    await expect(
      runCli(['--manifest', dir, '--port', '0'], output),
    ).rejects.toThrow(message);
  });

  it('names the route, the function and the files looked for when a handler is missing', async () => {
    await writeService(dir);
    await fs.rm(path.join(dir, 'functions/message/index.js'));
    await expect(runCli(['--manifest', dir], output)).rejects.toThrow(
      /websocket\.routes\.\$default: function "message": handler "index\.handler" needs \S+functions\/message\/index\.js, \.mjs, \.cjs/,
    );
  });

  it('runs a module route in worker threads when it sets workers', async () => {
    const file = path.join(dir, 'ws.yaml');
    await fs.writeFile(
      file,
      'routes:\n  thread: { module: ./handlers.js#thread, workers: 2, response: true }',
    );
    server = await runCli(['--config', file, '--port', '0'], output);
    const client = await connect(server!.url);
    client.send({ action: 'thread' });
    expect(Number(await client.message())).toBeGreaterThan(0);
    await client.close();
  });

  it.each([
    ['port: 70000\nroutes: {}', /port/],
    ['routes: { a: { module: "./handlers.js#echo", workers: 0 } }', /workers/],
    ['routes: { a: { module: "no-hash" } }', /<path>#<export>/],
    ['routes: { a: { http: "ftp://x" } }', /http\(s\) URL/],
    ['routes: { a: { lambda: fn, extra: 1 } }', /routes\.a/],
    ['stage: "a b"\nroutes: {}', /stage/],
    ['routes: [', /not valid YAML/],
    [
      'routes: { a: { module: "./missing.js#x" } }',
      /Cannot load handler module/,
    ],
    [
      'routes: { a: { module: "./handlers.js#nope" } }',
      /no function export "nope"/,
    ],
    ['routeSelectionExpression: action\nroutes: {}', /"action"/],
  ])('rejects bad config %#', async (text, message) => {
    const file = path.join(dir, 'bad.yaml');
    await fs.writeFile(file, text);
    await expect(
      runCli(['--config', file, '--port', '0'], output),
    ).rejects.toThrow(message);
  });

  it('rejects missing and bad arguments', async () => {
    await expect(runCli([], output)).rejects.toThrow(/--config is required/);
    await expect(
      runCli(['--config', 'a.yaml', '--manifest', '.'], output),
    ).rejects.toThrow(/not both/);
    await expect(runCli(['--bogus'], output)).rejects.toThrow(/bogus/);
    const file = path.join(dir, 'ok.json');
    await fs.writeFile(file, JSON.stringify({ routes: {} }));
    await expect(
      runCli(['--config', file, '--port', 'x'], output),
    ).rejects.toThrow(/--port/);
    expect(await runCli(['--help'], output)).toBeUndefined();
    expect(lines[0]).toMatch(/^Usage: stackyard-ws/);
  });

  it('runs as the stackyard-ws bin in its own process', async () => {
    const file = path.join(dir, 'ws.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        port: 0,
        routes: { echo: { module: './handlers.js#echo', response: true } },
      }),
    );
    const bin = path.resolve(__dirname, '../../bin/stackyard-ws');
    const child = spawn(process.execPath, [bin, '--config', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', chunk => {
          text += chunk;
          const match = /WebSocket API: (\S+)/.exec(text);
          if (match) resolve(match[1]);
        });
        child.once('exit', code => reject(new Error(`exited ${code}`)));
      });
      const client = await connect(url);
      client.send({ action: 'echo' });
      expect(await client.message()).toBe('echo {"action":"echo"}');
      await client.close();
    } finally {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const failure = await new Promise<{ code: number | null; stderr: string }>(
      resolve =>
        execFile(
          process.execPath,
          [bin, '--config', path.join(dir, 'missing.yaml')],
          (error, _o, stderr) =>
            resolve({
              code: error ? (error as { code?: number }).code ?? 1 : 0,
              stderr,
            }),
        ),
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/stackyard-ws: Cannot read config/);
  });
});
