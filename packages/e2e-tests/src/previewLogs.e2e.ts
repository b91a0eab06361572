import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { waitForEntity } from './infra/seedEnvironments';
import { artifactsDir } from './portal/paths';
import { portals } from './portal/portals';
import { publishServiceWithPreview } from './templates/publishedService';
import { captureBackendToken } from './wizard/capturedToken';

/** The panel's fallback poll (`PREVIEW_POLL_INTERVAL_MS` of the frontend plugin). */
const PREVIEW_POLL_MS = 15_000;

/**
 * The owners' change: the generated worker stores jobs silently (and intake
 * logs nothing either), so the service's owners add the line a team would.
 */
function workerLogsEachJob(dir: string) {
  const file = join(dir, 'functions', 'worker', 'index.js');
  const source = readFileSync(file, 'utf8');
  const put = /^(\s*)await put\(tableName, .*\);$/m;
  if (!put.test(source)) {
    throw new Error(`${file} has no put(tableName, …) line to log after`);
  }
  writeFileSync(
    file,
    source.replace(
      put,
      (line, indent) =>
        `${line}\n${indent}console.log('stored job ' + job.id);`,
    ),
  );
}

describe.each(portals('The live preview logs browser test'))(
  'Local preview logs arrive live on the $database portal: a queue consumer logs after an invoke, the open Infra tab shows it without reload (real Chromium, built portal, real runtime)',
  ({ tag, baseUrl, publishDirectory }) => {
    // Unique per run: the names end up in the publish directory and stack name.
    const suffix = `${Date.now().toString(36).slice(-5)}${tag}`;
    const name = `preview-logs-${suffix}`;
    const project = `lg${suffix}`;
    let stackName: string;
    let environmentId: string;
    let browser: Browser;
    let page: Page;
    let consoleErrors: string[];
    let token: () => string;

    const shot = (step: string) =>
      page.screenshot({
        path: resolve(artifactsDir, `preview-logs-${tag}-${step}.png`),
        fullPage: true,
      });
    const card = () =>
      page.getByRole('region', { name: stackName, exact: true });
    const workerLog = () =>
      card().getByLabel('Recent log lines of worker', { exact: true });

    beforeAll(async () => {
      ({ environmentId, stackName } = await publishServiceWithPreview({
        baseUrl,
        publishDirectory,
        template: 'serverless-service',
        name,
        project,
        ownersChange: workerLogsEachJob,
      }));
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
      consoleErrors = recordConsoleErrors(page);
      token = captureBackendToken(page);
      // The page's fallback poll never fires: each interval of its period is
      // held (counted, not run), so what the panel shows after its first
      // load comes from a refresh the page itself asked for, or a signal.
      await page.addInitScript(period => {
        const held: number[] = [];
        (window as unknown as { heldPolls: number[] }).heldPolls = held;
        const setInterval = window.setInterval.bind(window);
        window.setInterval = ((
          handler: TimerHandler,
          timeout?: number,
          ...args: unknown[]
        ) => {
          if (timeout === period) {
            held.push(timeout);
            return 0;
          }
          return setInterval(handler, timeout, ...args);
        }) as typeof window.setInterval;
      }, PREVIEW_POLL_MS);
      // A guest signed in before the catalog read catalog/org.yaml would
      // own nothing but itself (no platform-team), and could not invoke.
      await waitForEntity(baseUrl, { kind: 'user', name: 'guest' });
      await signInAsGuest(page, baseUrl);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('opens the Infra tab: the local preview sleeps, and its fallback poll is held', async () => {
      await page.goto(`${baseUrl}/catalog/default/component/${name}/infra`);
      await card().waitFor({ timeout: 30_000 });
      await expect(
        card().getByTestId('preview-state').textContent({ timeout: 30_000 }),
      ).resolves.toMatch(/^sleeping/);
      // The panel asked for its poll, and did not get it.
      await expect(
        page.evaluate(
          () => (window as unknown as { heldPolls: number[] }).heldPolls,
        ),
      ).resolves.toContain(PREVIEW_POLL_MS);
      // Gone if the page reloads.
      await page.evaluate(() => {
        (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
      });
    });

    it('invokes intake from the panel: the preview starts, and the worker, which the queue invokes, logs the job', async () => {
      const invoke = card().getByRole('button', { name: 'Invoke' });
      // Owners-only buttons are blocked until the permission decision loads.
      for (const until = Date.now() + 10_000; Date.now() < until; ) {
        if ((await invoke.getAttribute('aria-disabled')) !== 'true') break;
        await page.waitForTimeout(200);
      }
      await invoke.click();
      const dialog = page.getByRole('dialog', { name: 'Invoke a function' });
      await dialog.getByLabel('Function').fill('intake');
      await dialog
        .getByLabel('Payload (JSON)')
        .fill('{"id":"job-1","payload":{"n":1}}');
      await dialog.getByRole('button', { name: 'Invoke' }).click();
      // The first invoke starts the preview: checkout, synth, runner.
      const result = dialog.getByTestId('invoke-result');
      await result
        .getByText(/intake returned in \d+ ms/)
        .waitFor({ timeout: 90_000 });
      expect(await result.textContent()).toContain('"accepted": true');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await workerLog()
        .getByText(/stored job job-1/)
        .waitFor({ timeout: 30_000 });
      // Each function's own dead-letter queue, named as one.
      await card()
        .getByRole('row', {
          name: 'dead-letter queue intake-dlq (of function intake) 0 0',
        })
        .waitFor();
      await shot('1-first-job');
    }, 150_000);

    it("shows the worker's line for a job another client sends, through the preview's signal, without reload", async () => {
      // Invoked outside the page (as a teammate or a script would), so the
      // page refreshes nothing itself; its poll is held. The 10 s allowed
      // is generous for a signal (they go out at most once a second), and
      // even a running poll would not have come before 15 s.
      const res = await page.request.post(
        `${baseUrl}/api/stackyard/environments/${environmentId}/invoke`,
        {
          headers: { Authorization: `Bearer ${token()}` },
          data: { function: 'intake', payload: { id: 'job-2', payload: {} } },
        },
      );
      expect({ status: res.status(), body: await res.json() }).toMatchObject({
        status: 200,
        body: { ok: true, result: { accepted: true, id: 'job-2' } },
      });
      await workerLog()
        .getByText(/stored job job-2/)
        .waitFor({ timeout: 10_000 });
      await expect(
        page.evaluate(
          () => (window as unknown as { loadedOnce?: boolean }).loadedOnce,
        ),
      ).resolves.toBe(true);
      await shot('2-live-line');
    });

    it('logged no console errors', () => {
      expect(consoleErrors).toEqual([]);
    });
  },
);
