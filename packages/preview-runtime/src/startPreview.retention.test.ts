import { rmSync } from 'fs';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';

jest.setTimeout(60_000);

describe('startPreview request retention', () => {
  it('keeps no request after answering it: far more event data than its heap cap passes through one runner', async () => {
    const fixture = await serverlessFixture();
    const exits: unknown[] = [];
    const preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
      memoryMb: 64,
      onExit: info => exits.push(info),
    });
    try {
      const pad = 'x'.repeat(256 * 1024);
      // 640 × 256 KiB = 160 MiB of events through a 64 MiB heap.
      for (let i = 0; i < 640; i += 8) {
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            preview.invoke('probe', { action: 'sleep', ms: 0, pad }),
          ),
        );
        for (const result of results) {
          expect(result).toMatchObject({ ok: true, result: 'slept' });
        }
      }
      expect(exits).toEqual([]);
    } finally {
      await preview.stop();
      rmSync(fixture.root, { recursive: true, force: true });
    }
  });
});
