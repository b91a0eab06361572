import {
  PortalProcess,
  startPortalProcess,
} from './__testUtils__/portalProcess';
import { halfRequest, rawUpgrade } from './__testUtils__/upgradeAttempts';

jest.setTimeout(300_000);

const ENV = '0f8fad5b-d9cb-469f-a165-70867728950e';

/**
 * The real portal backend, as production runs it (NODE_ENV=production),
 * stops on SIGTERM within 10 s after the upgrade attempts that used to leak
 * a socket each and keep the server's close() from ever completing.
 */
describe('portal backend in production mode', () => {
  let portal: PortalProcess | undefined;

  afterEach(async () => {
    await portal?.kill();
  });

  it('answers every upgrade, upgrades signals on the first attempt, and exits within 10 s of SIGTERM', async () => {
    portal = await startPortalProcess({ mode: 'node', nodeEnv: 'production' });
    await portal.waitForReady(180_000);
    const { port } = portal;

    // Production mode: error responses carry no stack trace.
    const denied = await fetch(
      `http://127.0.0.1:${port}/api/catalog/entities/by-name/component/default/x`,
    );
    expect(denied.status).toBe(401);
    const body = await denied.json();
    expect(body.error.name).toBe('AuthenticationError');
    expect(body.error).not.toHaveProperty('stack');

    // The first upgrade to signals used to be handed to the request
    // listeners and never answered; now it is upgraded at once, and stays
    // open (an upgraded socket the shutdown has to close).
    const signals = await rawUpgrade(port, '/api/signals');
    expect(signals.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(signals.closed).toBe(false);

    // Upgrades nobody serves: a complete HTTP error, then the socket closed.
    const refused = await Promise.all([
      rawUpgrade(port, '/api/nothing-here'),
      rawUpgrade(port, '/api/catalog/entities'),
      rawUpgrade(port, `/api/stackyard/sockets/${ENV}/dev`), // no credentials, no such API
      rawUpgrade(port, `/api/stackyard/sockets/${ENV}`), // no stage
      rawUpgrade(port, '/api/nothing-here', { halfClose: true }),
      rawUpgrade(port, `/api/stackyard/sockets/${ENV}/dev`, {
        halfClose: true,
      }),
    ]);
    for (const attempt of refused) {
      expect(attempt.statusLine).toMatch(/^HTTP\/1\.1 (401|404) /);
      expect(attempt.closed).toBe(true);
    }
    // Half-open sockets the server has to end itself: an upgrade whose
    // client closed its side, and a request that never finished.
    const halfOpenSignals = await rawUpgrade(port, '/api/signals', {
      halfClose: true,
      waitMs: 1_000,
    });
    const half = halfRequest(port);
    const halfClosed = new Promise(r => half.once('close', r));

    const exitMs = await portal.signal('SIGTERM', 20_000);
    expect(exitMs).toBeGreaterThan(0);
    expect(exitMs).toBeLessThan(10_000);
    expect(portal.child.exitCode).toBe(0);
    // The upgraded socket got a close frame (0x88, length) with code 1001 Going Away.
    const frame = signals.text().split('\r\n\r\n')[1];
    expect(frame.charCodeAt(0)).toBe(0x88);
    expect(frame.slice(2, 4)).toBe('\x03\xe9');
    await halfClosed;
    halfOpenSignals.socket.destroy();
    process.stdout.write(`portal backend exited ${exitMs} ms after SIGTERM\n`);
  });
});
