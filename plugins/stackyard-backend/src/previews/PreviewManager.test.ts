import { mockServices } from '@backstage/backend-test-utils';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import {
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreviewManager, PreviewManagerOptions } from './PreviewManager';
import type { PreviewSource } from './PreviewSource';
import type {
  RunningPreview,
  StartPreview,
  StartPreviewOptions,
} from './runtime';

const targets: ReadonlyMap<string, Target> = new Map<string, Target>([
  ['local', { name: 'local', type: 'local' } as Target],
  [
    'sandbox',
    {
      name: 'sandbox',
      type: 'aws',
      accountId: '123456789012',
      region: 'eu-west-1',
    } as Target,
  ],
]);

function environment(
  id: string,
  patch: Partial<Environment> = {},
): Environment {
  return {
    id,
    entityRef: 'component:default/chat',
    target: 'local',
    prefix: 'chat',
    stage: 'dev',
    stackName: 'chat-dev',
    status: 'ready',
    commit: 'a1b2c3d',
    ...patch,
  } as Environment;
}

/** A runtime double: records starts, lets tests kill runners. */
class FakeRuntime {
  readonly starts: StartPreviewOptions[] = [];
  readonly running: Array<
    RunningPreview & { kill(code: number): void; stopped: boolean }
  > = [];
  failNext?: Error;

  readonly start: StartPreview = async options => {
    this.starts.push(options);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const runner = {
      functions: ['connection', 'message'],
      pid: 1000 + this.running.length,
      stopped: false,
      invoke: async (fn: string, event: unknown) => {
        options.onLog?.({
          fn,
          stream: 'stdout',
          text: `ran ${fn}`,
          at: new Date().toISOString(),
        });
        return fn === 'message' && (event as { crash?: boolean })?.crash
          ? {
              ok: false as const,
              error: {
                name: 'TypeError',
                message: 'boom',
                stack: 'TypeError: boom\n    at handler',
              },
              durationMs: 2,
            }
          : {
              ok: true as const,
              result: { statusCode: 200, echoed: event },
              durationMs: 1,
            };
      },
      queues: async () => [
        { name: 'jobs', visible: 2, inFlight: 1, dlq: 'jobs-dlq' },
      ],
      tables: async () => [{ name: 'connections', items: 3 }],
      stop: async () => {
        runner.stopped = true;
      },
      kill: (code: number) => {
        options.onExit?.({
          code,
          signal: null,
          lastLogLines: ['out of memory'],
        });
      },
    };
    this.running.push(runner);
    return runner;
  };
}

describe('PreviewManager', () => {
  let dataDirectory: string;
  let runtime: FakeRuntime;
  let environments: Map<string, Environment>;
  let prepared: string[];
  let namesRead: string[];
  let replicas: number;
  let clock: number;

  const source: PreviewSource = {
    async prepare(env, workDir) {
      prepared.push(env.id);
      mkdirSync(workDir, { recursive: true });
      writeFileSync(join(workDir, 'marker'), env.commit ?? '');
      return {
        checkoutDir: join(workDir, 'checkout'),
        template: { Resources: {} },
        manifest: {},
      };
    },
    async functionNames(env) {
      namesRead.push(`${env.id}@${env.commit}`);
      if (env.commit === 'broken') throw new Error('no repository');
      return ['connection', 'message'];
    },
  };

  const manager = (patch: Partial<PreviewManagerOptions> = {}) =>
    PreviewManager.create({
      environments: { getEnvironment: async id => environments.get(id) },
      targets,
      source,
      start: runtime.start,
      dataDirectory,
      idleMs: 60_000,
      maxRunning: 2,
      memoryMb: 96,
      queueTimeScale: 0.01,
      callbackUrl: async env =>
        `http://127.0.0.1:7007/api/stackyard/sockets/${env.id}/${env.stage}`,
      liveReplicas: async () => replicas,
      logger: mockServices.logger.mock(),
      restartDelayMs: 10,
      maxRestartDelayMs: 40,
      maxRestarts: 2,
      now: () => clock,
      ...patch,
    });

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'previews-test-'));
    runtime = new FakeRuntime();
    environments = new Map(['e1', 'e2', 'e3'].map(id => [id, environment(id)]));
    environments.set('aws', environment('aws', { target: 'sandbox' }));
    prepared = [];
    namesRead = [];
    replicas = 1;
    clock = 1_000_000;
  });
  afterEach(() => rmSync(dataDirectory, { recursive: true, force: true }));

  it('starts a preview on the first invoke, with the callback URL, runner key and memory cap, and reuses it', async () => {
    const previews = manager();
    const first = await previews.invoke('e1', 'message', { hello: 1 });
    expect(first).toEqual({
      ok: true,
      result: { statusCode: 200, echoed: { hello: 1 } },
      durationMs: 1,
    });
    await previews.invoke('e1', 'connection', {});
    expect(runtime.starts).toHaveLength(1);
    const [options] = runtime.starts;
    expect(options.memoryMb).toBe(96);
    expect(options.queueTimeScale).toBe(0.01);
    expect(options.workDir).toBe(join(dataDirectory, 'e1', 'data'));
    expect(options.env?.WEBSOCKET_CALLBACK_URL).toBe(
      'http://127.0.0.1:7007/api/stackyard/sockets/e1/dev',
    );
    const key = options.env!.AWS_ACCESS_KEY_ID;
    expect(previews.isRunnerKey('e1', key)).toBe(true);
    expect(previews.isRunnerKey('e2', key)).toBe(false);
    expect(previews.isRunnerKey('e1', `${key}x`)).toBe(false);
    const status = await previews.status('e1');
    expect(status.state).toBe('running');
    expect(
      status.functions.find(f => f.name === 'message')?.lines.map(l => l.text),
    ).toEqual(['ran message']);
    expect(status.queues).toEqual([
      { name: 'jobs', visible: 2, inFlight: 1, dlq: 'jobs-dlq' },
    ]);
    expect(status.tables).toEqual([{ name: 'connections', items: 3 }]);
  });

  it("lists a sleeping preview's functions from its deployed manifest without starting it, read once per commit", async () => {
    const previews = manager();
    const asleep = await previews.status('e1');
    expect(asleep).toEqual({
      state: 'sleeping',
      functions: [
        { name: 'connection', lines: [] },
        { name: 'message', lines: [] },
      ],
      queues: [],
      tables: [],
    });
    await previews.status('e1');
    expect(runtime.starts).toHaveLength(0);
    expect(prepared).toEqual([]);
    expect(namesRead).toEqual(['e1@a1b2c3d']);
    // A redeploy of another commit reads them again.
    environments.set('e1', environment('e1', { commit: 'f00dfeed' }));
    await previews.status('e1');
    expect(namesRead).toEqual(['e1@a1b2c3d', 'e1@f00dfeed']);
    // A manifest that cannot be read lists none (an invoke says why), and
    // is read again next time.
    environments.set('e2', environment('e2', { commit: 'broken' }));
    expect((await previews.status('e2')).functions).toEqual([]);
    await previews.status('e2');
    expect(namesRead.filter(n => n === 'e2@broken')).toHaveLength(2);
  });

  it('tells onChange of log lines, starts, invocations and sleep', async () => {
    const changes: string[] = [];
    const previews = manager({ onChange: id => changes.push(id) });
    await previews.invoke('e1', 'message', {});
    // Started, a log line of the call, the call's end.
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(changes)).toEqual(new Set(['e1']));
    changes.length = 0;
    clock += 60_000;
    await previews.sweep();
    expect(changes).toEqual(['e1']);
    expect((await previews.status('e1')).state).toBe('sleeping');
  });

  it('starts one runner for concurrent first uses', async () => {
    const previews = manager();
    await Promise.all([
      previews.invoke('e1', 'message', {}),
      previews.invoke('e1', 'message', {}),
      previews.ensureRunning('e1'),
    ]);
    expect(runtime.starts).toHaveLength(1);
  });

  it('returns a handler error with its stack as a failed invocation', async () => {
    const previews = manager();
    const outcome = await previews.invoke('e1', 'message', { crash: true });
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        name: 'TypeError',
        message: 'boom',
        stack: expect.stringContaining('at handler'),
      },
    });
  });

  it('refuses unknown functions, environments that are no local previews, and deleted ones', async () => {
    const previews = manager();
    await expect(previews.invoke('e1', 'nope', {})).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('connection, message'),
    });
    await expect(previews.invoke('aws', 'message', {})).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('not a local preview'),
    });
    environments.set('e2', environment('e2', { status: 'deleted' }));
    await expect(previews.invoke('e2', 'message', {})).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(
      previews.invoke('missing', 'message', {}),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(prepared).toEqual(['e1']);
  });

  it('refuses a preview beyond maxRunning with a 429 and starts nothing', async () => {
    const previews = manager();
    await previews.ensureRunning('e1');
    await previews.ensureRunning('e2');
    const refusal = await previews.ensureRunning('e3').catch(e => e);
    expect(refusal).toMatchObject({
      name: 'TooManyPreviewsError',
      statusCode: 429,
      message: expect.stringContaining('stackyard.previews.maxRunning'),
    });
    expect(runtime.starts).toHaveLength(2);
    // A running one is still served.
    await expect(previews.invoke('e1', 'message', {})).resolves.toMatchObject({
      ok: true,
    });
  });

  it('refuses to run previews while more than one backend replica is alive', async () => {
    replicas = 2;
    const previews = manager();
    await expect(previews.ensureRunning('e1')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'one backend replica, and 2 are running',
      ),
    });
    expect(runtime.starts).toHaveLength(0);
  });

  it('puts idle previews to sleep, keeping their data, and wakes them on use', async () => {
    const previews = manager();
    await previews.invoke('e1', 'message', {});
    clock += 59_000;
    await previews.sweep();
    expect(runtime.running[0].stopped).toBe(false);
    clock += 2_000;
    await previews.sweep();
    expect(runtime.running[0].stopped).toBe(true);
    expect((await previews.status('e1')).state).toBe('sleeping');
    expect(existsSync(join(dataDirectory, 'e1', 'marker'))).toBe(true);
    // A sleeping preview frees its place.
    await previews.ensureRunning('e2');
    await previews.ensureRunning('e3');
    await previews.sweep(); // nothing idle yet
    expect(runtime.starts).toHaveLength(3);
  });

  it('stops the runner and removes its data when the environment is torn down', async () => {
    const previews = manager();
    await previews.invoke('e1', 'message', {});
    const torn = environment('e1', { status: 'deleted' });
    environments.set('e1', torn);
    await previews.environmentChanged(torn);
    expect(runtime.running[0].stopped).toBe(true);
    expect(existsSync(join(dataDirectory, 'e1'))).toBe(false);
    expect(
      previews.isRunnerKey('e1', runtime.starts[0].env!.AWS_ACCESS_KEY_ID),
    ).toBe(false);
  });

  it('starts no runner for a use that read the environment before its teardown, until it is deployed again', async () => {
    let admit!: () => void;
    const gate = new Promise<number>(resolve => {
      admit = () => resolve(1);
    });
    const previews = manager({ liveReplicas: () => gate });
    // Read as ready, then waits while the teardown is recorded and followed.
    const use = previews.ensureRunning('e1');
    await new Promise(resolve => setImmediate(resolve));
    const torn = environment('e1', { status: 'deleted' });
    await previews.environmentChanged(torn);
    admit();
    await expect(use).rejects.toThrow(/chat-dev was torn down/);
    expect(runtime.starts).toHaveLength(0);

    await previews.environmentChanged(environment('e1', { status: 'ready' }));
    await previews.invoke('e1', 'message', {});
    expect(runtime.starts).toHaveLength(1);
  });

  it('discards the previews of environments that are gone on the next sweep (expiry)', async () => {
    const previews = manager();
    await previews.ensureRunning('e1');
    environments.delete('e1');
    await previews.sweep();
    expect(runtime.running[0].stopped).toBe(true);
    expect(existsSync(join(dataDirectory, 'e1'))).toBe(false);
  });

  it('stops a preview redeployed at another commit, so its next use runs the new commit', async () => {
    const previews = manager();
    await previews.ensureRunning('e1');
    const redeployed = environment('e1', { commit: 'b2c3d4e' });
    environments.set('e1', redeployed);
    await previews.environmentChanged(redeployed);
    expect(runtime.running[0].stopped).toBe(true);
    await previews.ensureRunning('e1');
    expect(runtime.starts).toHaveLength(2);
  });

  it('restarts a runner that dies with backoff, keeping its last log lines, and gives up after maxRestarts', async () => {
    const previews = manager();
    await previews.ensureRunning('e1');
    runtime.running[0].kill(134);
    let status = await previews.status('e1');
    expect(status.state).toBe('restarting');
    expect(status.lastExit).toMatchObject({
      code: 134,
      lastLogLines: ['out of memory'],
    });
    expect(status.reason).toMatch(/died \(code 134\)/);
    await waitFor(() => runtime.starts.length === 2);
    expect((await previews.status('e1')).state).toBe('running');
    runtime.running[1].kill(1);
    await waitFor(() => runtime.starts.length === 3);
    runtime.running[2].kill(1);
    status = await previews.status('e1');
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(/died 3 times in a row/);
    await new Promise(r => setTimeout(r, 100));
    expect(runtime.starts).toHaveLength(3);
    // The next use tries again.
    await previews.ensureRunning('e1');
    expect(runtime.starts).toHaveLength(4);
  });

  it('reports a preview that cannot start as failed with the reason, and tries again on next use', async () => {
    const previews = manager();
    runtime.failNext = new Error(
      'handler file functions/message/index.js is missing',
    );
    await expect(previews.ensureRunning('e1')).rejects.toThrow('is missing');
    const status = await previews.status('e1');
    expect(status).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('is missing'),
    });
    await previews.ensureRunning('e1');
    expect((await previews.status('e1')).state).toBe('running');
  });

  it('removes at startup the data of torn-down previews, keeping running ones and those of environments it does not know', async () => {
    for (const id of ['e1', 'e2', 'gone']) {
      mkdirSync(join(dataDirectory, id), { recursive: true });
    }
    environments.set('e2', environment('e2', { status: 'deleted' }));
    const previews = manager();
    expect(await previews.removeOrphanedData()).toBe(1);
    expect(existsSync(join(dataDirectory, 'e1'))).toBe(true);
    expect(existsSync(join(dataDirectory, 'e2'))).toBe(false);
    // Perhaps another backend's, sharing the directory.
    expect(existsSync(join(dataDirectory, 'gone'))).toBe(true);
  });

  it('stops every runner on close and starts none afterwards', async () => {
    const previews = manager();
    await previews.ensureRunning('e1');
    await previews.close();
    expect(runtime.running[0].stopped).toBe(true);
    await expect(previews.ensureRunning('e2')).rejects.toThrow('shutting down');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 5));
  }
}
