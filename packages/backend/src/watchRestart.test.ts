import { utimesSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  PortalProcess,
  startPortalProcess,
} from './__testUtils__/portalProcess';
import { halfRequest, rawUpgrade } from './__testUtils__/upgradeAttempts';
import { acquireWatchModeLock } from './__testUtils__/watchModeLock';

jest.setTimeout(300_000);

/**
 * `npm start` runs the backend under `backstage-cli package start`, which
 * on a file change stops the backend (SIGTERM) and waits for it to exit
 * before starting it again. A leaked upgrade used to keep the old backend
 * from ever exiting, so it never came back.
 */
describe('portal backend under backstage-cli package start', () => {
  let portal: PortalProcess | undefined;
  let releaseWatchMode: () => void = () => {};

  // The file this test touches would restart another watch-mode test's portal.
  beforeAll(async () => {
    releaseWatchMode = await acquireWatchModeLock();
  }, 900_000);

  afterAll(() => releaseWatchMode());

  afterEach(async () => {
    await portal?.kill();
  });

  it('comes back after a source file changes, following leaked-upgrade attempts', async () => {
    portal = await startPortalProcess({
      mode: 'watch',
      nodeEnv: 'development',
    });
    await portal.waitForReady(180_000);
    const { port } = portal;

    const signals = await rawUpgrade(port, '/api/signals');
    expect(signals.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    const unknown = await rawUpgrade(port, '/api/nothing-here', {
      halfClose: true,
    });
    expect(unknown.statusLine).toBe('HTTP/1.1 404 Not Found');
    const half = halfRequest(port);

    // What `touch` does: the watcher sees the file change. (Only what
    // follows counts: edits elsewhere in a working tree restart it too.)
    const since = portal.output().length;
    const now = new Date();
    utimesSync(resolve(__dirname, 'index.ts'), now, now);
    const detected = await portal.waitForOutput(
      'Change detected',
      30_000,
      since,
    );
    const detectedAt = Date.now();
    // The old backend has to exit before the new one starts and listens.
    await portal.waitForOutput('Listening on', 120_000, detected);
    await portal.waitForReady(180_000);
    process.stdout.write(
      `backend listening again ${
        Date.now() - detectedAt
      } ms after the change was detected\n`,
    );
    half.destroy();
  });
});
