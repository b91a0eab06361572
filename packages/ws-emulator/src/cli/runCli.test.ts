import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StandaloneServer } from '../standalone';
import { connect } from '../testing/harness';
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

  it('reads the websocket section of a stackyard.yaml manifest', async () => {
    const file = path.join(dir, 'stackyard.yaml');
    await fs.writeFile(
      file,
      [
        'name: chat',
        'websocket:',
        '  routes:',
        '    $default: handlers.js#echo',
        '    shout: { module: handlers.js#echo, response: true }',
        '  emulator: { port: 0 }',
      ].join('\n'),
    );
    server = await runCli(['--config', file], output);
    const client = await connect(server!.url);
    client.send({ action: 'shout' });
    expect(await client.message()).toBe('echo {"action":"shout"}');
    await client.close();
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
