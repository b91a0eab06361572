import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { PreviewConnections, RunningPreview } from './types';

jest.setTimeout(180_000);

const KEY = 'SYPtestrunnerkey';
/** Calls the hostile runner sends in all. */
const CALLS = 100_000;
/**
 * At most this many are served while it reads no answers (each ~170 bytes):
 * what its stdin pipe and buffers hold, and the calls the backend read in
 * the turn it stopped; 2,500 when measured. Without the backpressure all
 * 100,000 were served within a second, the answers held by the backend.
 */
const SERVED_WHILE_NOT_READING = 20_000;

/** Polls `done` every 50 ms for at most `ms` (generous: the machine may be loaded). */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; )
    await new Promise(r => setTimeout(r, 50));
}

describe('startPreview: a runner that floods @connections calls and reads none of its answers (real runner)', () => {
  let fixture: Awaited<ReturnType<typeof serverlessFixture>>;
  let preview: RunningPreview | undefined;

  beforeAll(async () => {
    fixture = await serverlessFixture();
  });

  afterAll(async () => {
    await preview?.stop();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  it('is read no further until it reads them: the calls served stay bounded, and all are served once it reads again', async () => {
    let served = 0;
    const description = {
      connectedAt: '2026-01-02T03:04:05.678Z',
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'a user agent of the flood',
      },
      lastActiveAt: '2026-01-02T03:04:06.000Z',
    };
    const endpoint = 'http://127.0.0.1:9/sockets/probe/dev';
    const connections: PreviewConnections = {
      endpoint,
      accessKeyId: KEY,
      post: async () => undefined,
      get: async () => {
        served++;
        return description;
      },
      delete: async () => undefined,
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
    // Written by the runner (its work directory), read by it (the checkout).
    const progress = join(fixture.workDir, 'flood-progress');
    const resume = join(fixture.checkoutDir, 'flood-resume');

    const started = await preview.invoke('probe', {
      action: 'flood-connections',
      calls: CALLS,
      batch: 500,
      stuckMs: 3000,
      progress,
      resume,
    });
    expect(started).toMatchObject({ ok: true, result: 'flooding' });

    // The runner's channel takes nothing for 3 s: the backend stopped
    // reading it. Without that, every call would be served first.
    await until(() => existsSync(progress) || served === CALLS, 120_000);
    const servedWhileNotReading = served;
    expect(servedWhileNotReading).toBeLessThan(SERVED_WHILE_NOT_READING);
    expect(existsSync(progress)).toBe(true);
    const written = Number(readFileSync(progress, 'utf8'));
    expect(written).toBeLessThan(CALLS);
    expect(servedWhileNotReading).toBeGreaterThan(0);

    // It reads its answers again: the backend reads on, and serves the rest.
    writeFileSync(resume, '');
    await until(() => served === CALLS, 120_000);
    expect(served).toBe(CALLS);
    const after = await preview.invoke('probe', { action: 'echo' });
    expect(after).toMatchObject({
      ok: true,
      result: { echo: { action: 'echo' } },
    });
  });
});
