import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { PreviewLogLine, RunningPreview } from './types';

jest.setTimeout(60_000);

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('startPreview (real runner, dynalite, queue engine, AWS SDK v3)', () => {
  let fixture: Awaited<ReturnType<typeof serverlessFixture>>;
  let preview: RunningPreview;
  const logs: PreviewLogLine[] = [];
  const exits: unknown[] = [];

  beforeAll(async () => {
    fixture = await serverlessFixture();
    // A file next to the checkout, as app-config.yaml is next to a backend's data.
    writeFileSync(join(fixture.root, 'app-config.yaml'), 'secret: 1\n');
    process.env.STACKYARD_BACKEND_SECRET = 'do-not-leak';
    preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
      env: { WEBSOCKET_CALLBACK_URL: 'http://127.0.0.1:9/@connections' },
      queueTimeScale: 0.01,
      ttlSweepIntervalMs: 200,
      onLog: line => logs.push(line),
      onExit: info => exits.push(info),
    });
  });

  afterAll(async () => {
    delete process.env.STACKYARD_BACKEND_SECRET;
    await preview?.stop();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  it('lists the manifest functions and the template queues and tables', async () => {
    expect(preview.functions).toEqual(['intake', 'worker', 'probe', 'esm']);
    expect(await preview.tables()).toEqual([{ name: 'items', items: 0 }]);
    const queues = await preview.queues();
    expect(queues.map(q => q.name).sort()).toEqual([
      'esm-dlq',
      'intake-dlq',
      'jobs',
      'jobs-dlq',
      'probe-dlq',
      'worker-dlq',
    ]);
    expect(queues.find(q => q.name === 'jobs')).toEqual({
      name: 'jobs',
      visible: 0,
      inFlight: 0,
      dlq: 'jobs-dlq',
    });
    // A function's own dead-letter queue: the synthesized DeadLetterConfig.
    expect(queues.find(q => q.name === 'intake-dlq')).toEqual({
      name: 'intake-dlq',
      visible: 0,
      inFlight: 0,
      dlqOfFunctions: ['intake'],
    });
  });

  it('invokes a function: its result and duration', async () => {
    const result = await preview.invoke('intake', { id: 'bad id', payload: 1 });
    expect(result).toMatchObject({ ok: true, result: { accepted: false } });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('loads an ES module handler (.mjs)', async () => {
    expect(await preview.invoke('esm', { n: 1 })).toMatchObject({
      ok: true,
      result: { esm: true, event: { n: 1 } },
    });
  });

  it('reports a thrown error with its name, message and stack, and logs it under the function', async () => {
    const result = await preview.invoke('probe', { action: 'throw' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      name: 'TypeError',
      message: 'job is broken',
    });
    expect(result.error.stack).toContain('probe/index.js');
    expect(
      logs.some(
        l =>
          l.fn === 'probe' &&
          l.stream === 'stderr' &&
          l.text.includes('job is broken'),
      ),
    ).toBe(true);
  });

  it('gives each function the environment the template gives it, resolved to the local engines, and nothing of the backend', async () => {
    const result = await preview.invoke('probe', { action: 'env' });
    expect(result.ok).toBe(true);
    const { env, functionName, remaining } = (result as { result: any }).result;
    expect(functionName).toBe('probe');
    expect(remaining).toBeGreaterThan(0);
    expect(env.GREETING).toBe('hello');
    expect(env.QUEUE_JOBS).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/000000000000\/jobs$/,
    );
    expect(env.TABLE_ITEMS).toBe('items');
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe('probe');
    expect(env.WEBSOCKET_CALLBACK_URL).toBe('http://127.0.0.1:9/@connections');
    expect(env.AWS_ACCESS_KEY_ID).toBe('preview');
    expect(env.STACKYARD_BACKEND_SECRET).toBeUndefined();
    // intake's own environment differs: its queue, not probe's greeting.
    const intake = await preview.invoke('intake', { id: 'x', payload: {} });
    expect(intake.ok).toBe(true);
  });

  it('runs intake → jobs queue → worker → items table, and the item reads back', async () => {
    const sent = await preview.invoke('intake', {
      id: 'job-1',
      payload: { n: 1 },
    });
    expect(sent).toMatchObject({
      ok: true,
      result: { accepted: true, id: 'job-1' },
    });
    const item = await until(
      async () =>
        (await preview.invoke('probe', { action: 'get', id: 'job-1' })) as any,
      r => r.ok && r.result !== null,
    );
    expect(item.result).toMatchObject({ id: 'job-1', payload: { n: 1 } });
    expect((await preview.tables())[0].items).toBeGreaterThanOrEqual(1);
  });

  it('sends a poison message to the DLQ after maxReceiveCount receives', async () => {
    expect(
      await preview.invoke('probe', { action: 'send', body: 'not json' }),
    ).toMatchObject({ ok: true });
    // Visibility 180 s (6× the worker timeout) × 0.01: redelivered every 1.8 s, moved on the 4th receive.
    const queues = await until(
      () => preview.queues(),
      qs => qs.find(q => q.name === 'jobs-dlq')!.visible === 1,
    );
    expect(queues.find(q => q.name === 'jobs-dlq')!.visible).toBe(1);
    expect(queues.find(q => q.name === 'jobs')).toMatchObject({
      visible: 0,
      inFlight: 0,
    });
  });

  it("deletes items whose TTL attribute (the template's TimeToLiveSpecification) has passed", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [id, expiresAt] of [
      ['expired', now - 10],
      ['fresh', now + 3600],
    ] as const) {
      expect(
        await preview.invoke('probe', {
          action: 'put',
          item: { id, expiresAt },
        }),
      ).toMatchObject({ ok: true, result: 'put' });
    }
    const get = async (id: string) =>
      ((await preview.invoke('probe', { action: 'get', id })) as any).result;
    expect(
      await until(
        () => get('expired'),
        item => item === null,
      ),
    ).toBe(null);
    expect(await get('fresh')).toMatchObject({ id: 'fresh' });
  });

  it('refuses reading outside the checkout, writing outside its directory, spawning, and the network but its own', async () => {
    const outside = await preview.invoke('probe', {
      action: 'read',
      path: join(fixture.root, 'app-config.yaml'),
    });
    expect(outside).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('restricted') },
    });
    // The backend's database files and its environment (through /proc).
    mkdirSync(join(fixture.root, 'sqlite'), { recursive: true });
    writeFileSync(join(fixture.root, 'sqlite', 'stackyard.sqlite'), 'data');
    for (const path of [
      join(fixture.root, 'sqlite', 'stackyard.sqlite'),
      `/proc/${process.pid}/environ`,
      `/proc/${preview.pid}/environ`,
    ]) {
      expect(
        await preview.invoke('probe', { action: 'read', path }),
      ).toMatchObject({ ok: false });
    }
    // node_modules beyond the runtime's own packages, and the repository around them.
    const nodeModules = resolve(
      require.resolve('@aws-sdk/client-sqs'),
      '../../../..',
    );
    for (const path of [
      join(nodeModules, '.package-lock.json'),
      resolve(nodeModules, '../package.json'),
    ]) {
      expect(
        await preview.invoke('probe', { action: 'read', path }),
      ).toMatchObject({ ok: false });
    }
    const own = await preview.invoke('probe', {
      action: 'read',
      path: join(fixture.checkoutDir, 'stackyard.yaml'),
    });
    expect(own).toMatchObject({
      ok: true,
      result: expect.stringContaining('sample-svc'),
    });
    const write = await preview.invoke('probe', {
      action: 'write',
      path: join(fixture.checkoutDir, 'planted.js'),
    });
    expect(write.ok).toBe(false);
    expect(
      await preview.invoke('probe', {
        action: 'write',
        path: join(fixture.workDir, 'tmp', 'ok'),
      }),
    ).toMatchObject({ ok: true });
    const spawned = await preview.invoke('probe', { action: 'spawn' });
    expect(spawned).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/restricted|not allowed/) },
    });
    const net = await preview.invoke('probe', {
      action: 'connect',
      url: 'http://127.0.0.1:1/',
    });
    expect(net).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not allowed') },
    });
    // Each attempt shows in the preview's logs, under the function.
    const probeErrors = logs
      .filter(l => l.fn === 'probe' && l.stream === 'stderr')
      .map(l => l.text);
    expect(
      probeErrors.some(
        t => t.includes('app-config.yaml') && t.includes('restricted'),
      ),
    ).toBe(true);
    expect(
      probeErrors.some(t => t.includes('not allowed in the sandbox')),
    ).toBe(true);
  });

  it('does not take what the runner answers on trust, nor buffer a line without end', async () => {
    const forged = await preview.invoke('probe', { action: 'forge' });
    expect(forged).toMatchObject({
      ok: false,
      error: { name: 'Runtime.InvalidResponse' },
    });
    // The forged answers still on their way go to calls of their numbers.
    await new Promise(r => setTimeout(r, 500));
    const before = logs.length;
    expect(await preview.invoke('probe', { action: 'flood' })).toMatchObject({
      ok: true,
      result: 'flooded',
    });
    const flood = logs.slice(before).filter(l => l.text.startsWith('xxxx'));
    expect(flood.length).toBeGreaterThan(0);
    expect(Math.max(...flood.map(l => l.text.length))).toBeLessThanOrEqual(
      8192,
    );
    expect(await preview.invoke('probe', { action: 'echo' })).toMatchObject({
      ok: true,
    });
  });

  it('fails a call over its timeout as Lambda does, and the runner goes on', async () => {
    const result = await preview.invoke('probe', { action: 'sleep', ms: 5000 });
    expect(result).toMatchObject({
      ok: false,
      error: {
        name: 'Sandbox.Timedout',
        message: 'Task timed out after 2.00 seconds',
      },
    });
    expect(await preview.invoke('probe', { action: 'echo' })).toMatchObject({
      ok: true,
    });
    expect(exits).toEqual([]);
  });
});

describe('startPreview memory cap', () => {
  it('kills a runner that allocates without bound and tells onExit with its last log lines', async () => {
    const fixture = await serverlessFixture();
    try {
      let resolveExit: (info: {
        code: number | null;
        signal: string | null;
        lastLogLines: string[];
      }) => void;
      const exited = new Promise<{
        code: number | null;
        signal: string | null;
        lastLogLines: string[];
      }>(r => {
        resolveExit = r;
      });
      const preview = await startPreview({
        checkoutDir: fixture.checkoutDir,
        template: fixture.template,
        manifest: fixture.manifest,
        workDir: fixture.workDir,
        memoryMb: 64,
        onExit: info => resolveExit(info),
      });
      const result = await preview.invoke('probe', { action: 'allocate' });
      expect(result).toMatchObject({
        ok: false,
        error: { name: 'Runtime.ExitError' },
      });
      const info = await exited;
      expect(info.code !== 0 || info.signal !== null).toBe(true);
      expect(info.lastLogLines.join('\n')).toContain(
        '[probe] allocating without bound',
      );
      expect(await preview.invoke('probe', { action: 'echo' })).toMatchObject({
        ok: false,
      });
      await preview.stop();
    } finally {
      rmSync(fixture.root, { recursive: true, force: true });
    }
  });
});

describe('startPreview answers past the cap', () => {
  it('fails a call whose result is over 6 MB, and one whose answer line is over the cap, as Lambda fails them', async () => {
    const fixture = await serverlessFixture();
    const preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
    });
    try {
      // The first call is number 1: the probe forges its answer past the cap.
      expect(
        await preview.invoke('probe', { action: 'forge-big', id: 1 }),
      ).toMatchObject({
        ok: false,
        error: { name: 'Function.ResponseSizeTooLarge' },
      });
      // The probe goes on writing its line after the backend cut it: let it finish.
      await new Promise(r => setTimeout(r, 1500));
      expect(await preview.invoke('probe', { action: 'big' })).toMatchObject({
        ok: false,
        error: { name: 'Function.ResponseSizeTooLarge' },
      });
      expect(await preview.invoke('probe', { action: 'echo' })).toMatchObject({
        ok: true,
      });
    } finally {
      await preview.stop();
      rmSync(fixture.root, { recursive: true, force: true });
    }
  });
});
