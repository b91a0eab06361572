import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@stackyard/test-support';

const backendDir = resolve(__dirname, '../..');
const repoRoot = resolve(backendDir, '../..');

/** The real portal backend (`packages/backend/src/index.ts`) in a child process. */
export type PortalProcess = {
  port: number;
  child: ChildProcess;
  /** Everything the process (and its children) printed so far. */
  output(): string;
  /** Polls readiness until it answers 200; fails at once if the process exits. */
  waitForReady(timeoutMs: number): Promise<void>;
  /**
   * Waits until `pattern` occurs in the output after offset `since`
   * (default: anywhere); resolves with the offset just past it.
   */
  waitForOutput(
    pattern: string,
    timeoutMs: number,
    since?: number,
  ): Promise<number>;
  /** Sends `signal` and resolves with the time to exit (ms), or -1 after `timeoutMs`. */
  signal(signal: NodeJS.Signals, timeoutMs: number): Promise<number>;
  /** Kills whatever is left (the process group) and removes the temp config. */
  kill(): Promise<void>;
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Starts the portal backend from its sources with the shipped
 * `app-config.yaml`, on a free port and fresh SQLite databases: either `node`
 * with the transform `backstage-cli package start` uses (`'node'`), or
 * `backstage-cli package start` itself, with its watch-and-restart loop
 * (`'watch'`).
 */
export async function startPortalProcess(options: {
  mode: 'node' | 'watch';
  nodeEnv: 'production' | 'development';
}): Promise<PortalProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stackyard-portal-process-'));
  const configFile = join(dir, 'app-config.test.yaml');
  const baseUrl = `http://localhost:${port}`;
  writeFileSync(
    configFile,
    JSON.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
        // SQLite files, as `npm start` has them (in a fresh directory).
        // Not `:memory:`: under `backstage-cli package start` each plugin
        // then gets a shutdown hook that takes its database's only
        // connection, and a plugin writing on shutdown waits 60 s for it.
        database: { connection: { directory: join(dir, 'sqlite') } },
      },
      stackyard: { scaffolder: { localPublishDirectory: join(dir, 'repos') } },
    }),
  );
  const config = [
    '--config',
    resolve(repoRoot, 'app-config.yaml'),
    '--config',
    configFile,
  ];
  const args =
    options.mode === 'node'
      ? [
          '--enable-source-maps',
          '--require',
          require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
          'src/index.ts',
          ...config,
        ]
      : [
          require.resolve('@backstage/cli/bin/backstage-cli'),
          'package',
          'start',
          ...config,
        ];
  const child = spawn(process.execPath, args, {
    cwd: backendDir,
    // jest's NODE_ENV=test would reach the backend otherwise.
    env: { ...process.env, NODE_ENV: options.nodeEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exited = new Promise<void>(done => child.once('exit', () => done()));

  const until = async (
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean> | boolean,
  ) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `The backend exited (${
            child.exitCode ?? child.signalCode
          }) while waiting for ${what}:\n${output.slice(-4000)}`,
        );
      }
      if (await check()) return;
      await sleep(250);
    }
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for ${what}:\n${output.slice(
        -4000,
      )}`,
    );
  };

  return {
    port,
    child,
    output: () => output,
    waitForReady: timeoutMs =>
      until('readiness', timeoutMs, async () => {
        try {
          const res = await fetch(
            `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
            { signal: AbortSignal.timeout(2_000) },
          );
          return res.ok;
        } catch {
          return false;
        }
      }),
    async waitForOutput(pattern, timeoutMs, since = 0) {
      await until(`"${pattern}" in the output`, timeoutMs, () =>
        output.includes(pattern, since),
      );
      return output.indexOf(pattern, since) + pattern.length;
    },
    async signal(signal, timeoutMs) {
      const started = Date.now();
      child.kill(signal);
      const outcome = await Promise.race([
        exited.then(() => Date.now() - started),
        sleep(timeoutMs).then(() => -1),
      ]);
      return outcome;
    },
    async kill() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([exited, sleep(5_000)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
