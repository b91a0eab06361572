import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { defaultTestEnv, runServiceTests } from './runServiceTests';

// Real Node processes under the permission model.
jest.setTimeout(60_000);

/** The portal's own configuration, which no service's test may read. */
const APP_CONFIG = resolve(__dirname, '../../../app-config.yaml');

/** A service's test that tries to get out, and prints what it saw. */
const ATTACK = `'use strict';
const fs = require('fs');
const net = require('net');
const seen = {};
const attempt = (name, fn) => {
  try {
    fn();
    seen[name] = 'allowed';
  } catch (e) {
    seen[name] = e.code || e.message;
  }
};
const at = JSON.parse(fs.readFileSync(__dirname + '/targets.json', 'utf8'));
attempt('readAppConfig', () => fs.readFileSync(at.appConfig));
attempt('readOtherRepository', () => fs.readFileSync(at.other));
attempt('writeOutside', () => fs.writeFileSync(at.escape, 'x'));
attempt('writeRepository', () => fs.writeFileSync(__dirname + '/written.txt', 'x'));
attempt('symlinkOut', () => fs.symlinkSync(at.appConfig, process.env.TMPDIR + '/link'));
attempt('childProcess', () => require('child_process').execFileSync('/bin/cat', [at.appConfig]));
attempt('worker', () => new (require('worker_threads').Worker)('1', { eval: true }));
attempt('connect', () => net.connect(at.port, '127.0.0.1'));
attempt('fetch', () => fetch('http://127.0.0.1:' + at.port + '/'));
attempt('signal', () => process.kill(process.ppid, 'SIGTERM'));
attempt('writeTmp', () => fs.writeFileSync(process.env.TMPDIR + '/ok.txt', 'x'));
seen.secret = process.env.STACKYARD_TEST_SECRET === undefined ? 'absent' : 'present';
seen.env = Object.keys(process.env).sort();
process.stdout.write('SEEN ' + JSON.stringify(seen) + '\\n');
`;

describe('runServiceTests (a real Node permission-model sandbox)', () => {
  let root: string;
  let service: string;
  let server: Server;
  let connections: number;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-service-tests-'));
    service = join(root, 'service');
    mkdirSync(service);
    connections = 0;
    server = createServer((_req, res) => res.end('secret')).on(
      'connection',
      () => {
        connections += 1;
      },
    );
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  });
  afterEach(async () => {
    await new Promise(done => server.close(done));
    rmSync(root, { recursive: true, force: true });
  });

  const writeService = (test: string, files: Record<string, string>) => {
    writeFileSync(
      join(service, 'package.json'),
      JSON.stringify({ name: 'attacker', scripts: { test } }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(service, path, '..'), { recursive: true });
      writeFileSync(join(service, path), text);
    }
  };

  it("keeps a service's test from the portal's files and environment, other repositories, the network and other processes", async () => {
    expect(existsSync(APP_CONFIG)).toBe(true);
    const other = join(root, 'other-repository');
    mkdirSync(other);
    writeFileSync(join(other, 'secret.txt'), 'secret');
    const escape = join(root, 'escaped.txt');
    writeService('node attack.js', {
      'attack.js': ATTACK,
      'targets.json': JSON.stringify({
        appConfig: APP_CONFIG,
        other: join(other, 'secret.txt'),
        escape,
        port: (server.address() as AddressInfo).port,
      }),
    });
    process.env.STACKYARD_TEST_SECRET = 's3cret';
    let result;
    try {
      result = await runServiceTests(service, {
        env: defaultTestEnv(),
        sandboxDir: join(root, 'test'),
      });
    } finally {
      delete process.env.STACKYARD_TEST_SECRET;
    }
    expect(result.passed).toBe(true);
    const line = result.output.split('\n').find(l => l.startsWith('SEEN '))!;
    const seen = JSON.parse(line.slice('SEEN '.length));
    expect(seen).toEqual({
      readAppConfig: 'ERR_ACCESS_DENIED',
      readOtherRepository: 'ERR_ACCESS_DENIED',
      writeOutside: 'ERR_ACCESS_DENIED',
      writeRepository: 'ERR_ACCESS_DENIED',
      symlinkOut: 'ERR_ACCESS_DENIED',
      childProcess: 'ERR_ACCESS_DENIED',
      worker: 'ERR_ACCESS_DENIED',
      connect: 'ERR_ACCESS_DENIED',
      fetch: 'ERR_ACCESS_DENIED',
      signal: 'ERR_ACCESS_DENIED',
      // Its own temporary folder is what it may write.
      writeTmp: 'allowed',
      secret: 'absent',
      env: ['CI', 'HOME', 'NODE_PATH', 'PATH', 'TMPDIR'],
    });
    expect(existsSync(escape)).toBe(false);
    expect(existsSync(join(service, 'written.txt'))).toBe(false);
    expect(connections).toBe(0);
    expect(readFileSync(join(root, 'test/tmp/ok.txt'), 'utf8')).toBe('x');
  });

  it('runs each file of "node --test <glob>" in its own sandboxed process and fails when one fails', async () => {
    const passing = `require('node:test')('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\n`;
    const failing = `require('node:test')('breaks', () => { throw new Error('broken on purpose'); });\n`;
    writeService('node --test test/*.test.js', {
      'test/a.test.js': passing,
      'test/b.test.js': failing,
      'test/helper.js': 'module.exports = 1;\n',
    });
    const failed = await runServiceTests(service, {
      sandboxDir: join(root, 'test-run'),
    });
    expect(failed.files).toEqual(['test/a.test.js', 'test/b.test.js']);
    expect(failed.passed).toBe(false);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('broken on purpose');
    writeFileSync(join(service, 'test/b.test.js'), passing);
    const passed = await runServiceTests(service, {
      sandboxDir: join(root, 'test-run-2'),
    });
    expect(passed).toMatchObject({ passed: true, code: 0 });
  });

  it('stops the tests at the time cap, killing their process', async () => {
    writeService('node hang.js', {
      'hang.js': 'setInterval(() => {}, 1000);\n',
    });
    const result = await runServiceTests(service, {
      timeoutMs: 1500,
      sandboxDir: join(root, 'test-run'),
    });
    expect(result.passed).toBe(false);
    expect(result.code).toBeNull();
    expect(result.output).toContain('Timed out');
  });

  it.each([
    ['jest', 'is not one that runs sandboxed'],
    ['node --test test/ && curl http://evil', 'is not one that runs sandboxed'],
    ['node test.js; cat /etc/passwd', 'is not one that runs sandboxed'],
    ['node --require ./x.js test.js', 'is not one that runs sandboxed'],
    ['node --test ../other/*.js', 'is not one that runs sandboxed'],
    ['node missing.js', 'names missing.js, which is missing'],
  ])('does not run the test script %j, saying why', async (script, why) => {
    writeService(script, {});
    const result = await runServiceTests(service, {
      sandboxDir: join(root, 'test-run'),
    });
    expect(result.passed).toBeNull();
    expect(result.output).toMatch(/^Not run: /);
    expect(result.output).toContain(why);
  });
});
