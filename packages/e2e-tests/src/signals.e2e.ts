import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { ChildProcess as Backend } from 'node:child_process';
import { launchChromium } from './browser/launchChromium';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir } from './portal/paths';
import { startBackend } from './portal/startBackend';
import { stopProcessGroup } from './portal/stopProcessGroup';
import { waitForReady } from './portal/waitForReady';
import { registerDeployments, waitForEntity } from './infra/seedEnvironments';

/** A port of its own: the shared backend on 7017 has seen other tests' connections. */
const port = 7018;
const baseUrl = `http://localhost:${port}`;

/** What the page did with one WebSocket. */
type SocketRecord = { url: string; framesSent: number; closed: boolean };

async function until(what: string, check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('live updates on a freshly started backend (real Chromium, built portal)', () => {
  let backend: Backend;
  let browser: Browser;

  beforeAll(async () => {
    // Its first WebSocket upgrade to /api/signals must be the browser's.
    backend = startBackend({
      logFile: resolve(artifactsDir, 'backend-signals.log'),
      env: {
        APP_CONFIG_app_baseUrl: baseUrl,
        APP_CONFIG_backend_baseUrl: baseUrl,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_cors_origin: baseUrl,
        APP_CONFIG_stackyard_scaffolder_localPublishDirectory: mkdtempSync(
          resolve(tmpdir(), 'stackyard-e2e-signals-'),
        ),
      },
    });
    await waitForReady(`${baseUrl}/.backstage/health/v1/readiness`, backend, {
      timeoutMs: 180_000,
    });
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'infra-e2e-owned',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (backend) await stopProcessGroup(backend);
  });

  it("connects the page's first signals WebSocket and shows an environment change without a reload", async () => {
    const page = await browser.newPage();
    const sockets: SocketRecord[] = [];
    page.on('websocket', ws => {
      const record = { url: ws.url(), framesSent: 0, closed: false };
      sockets.push(record);
      ws.on('framesent', () => record.framesSent++);
      ws.on('close', () => {
        record.closed = true;
      });
    });
    const signals = () => sockets.filter(s => s.url.endsWith('/api/signals'));

    await signInAsGuest(page, baseUrl);
    await page.goto(`${baseUrl}/catalog/default/component/infra-e2e-owned`);
    const summary = page.getByTestId('infra-summary');
    await summary.waitFor();

    // The Infra summary subscribes to its entity's channel: the subscribe
    // frame goes out on the first socket, which was upgraded at once.
    await until('a signals WebSocket', () => signals().length > 0);
    await until('the subscribe frame', () => signals()[0].framesSent > 0);
    expect(signals()[0].closed).toBe(false);

    await registerDeployments(baseUrl, [
      {
        entityRef: 'component:default/infra-e2e-owned',
        target: 'local',
        prefix: 'sig',
        stage: 'dev',
        stackName: 'sig-dev',
        status: 'ready',
      },
    ]);
    await page
      .getByTestId('infra-summary')
      .filter({ hasText: /^1 environment/ })
      .waitFor({ timeout: 20_000 });
    // One socket did it all: no retry was needed.
    expect(signals()).toHaveLength(1);
    expect(signals()[0].closed).toBe(false);
    await page.screenshot({
      path: resolve(artifactsDir, 'signals-live-update.png'),
    });
  });
});
