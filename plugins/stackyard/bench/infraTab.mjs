/* eslint-disable no-console */
// Time to interactive of the Infra tab for an entity with 50 environments
// and 250 alarms, in headless Chromium, against the built portal.
//
//   node plugins/stackyard/bench/infraTab.mjs
//
// Uses a portal already serving STACKYARD_BENCH_URL (default
// http://localhost:7017), or starts the backend the way the browser tests
// do (build packages/app first, e.g. with `npm run test:e2e`). The stackyard
// API is answered in the browser with synthetic data (fixtures.mjs), so the
// numbers measure the frontend: fetching the lazy chunk, rendering, the
// per-environment detail requests and the permission checks.
//
// "Interactive": every environment card of the first page is rendered with
// its last operation, and every teardown button has its permission decision.
import { spawn } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { details, environments } from './fixtures.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
// The browser driver and the backend's transform are the browser tests'
// dependencies; the benchmark borrows them.
const fromE2eTests = createRequire(
  resolve(repoRoot, 'packages/e2e-tests/package.json'),
);
const { chromium } = fromE2eTests('playwright-core');
const baseUrl = process.env.STACKYARD_BENCH_URL ?? 'http://localhost:7017';
const runs = Number(process.env.STACKYARD_BENCH_RUNS ?? 5);
// Runs first and not counted: a freshly started backend is still warming up.
const warmups = Number(process.env.STACKYARD_BENCH_WARMUPS ?? 2);
const entityRef = 'component:default/work-orders-api';
const entityPath = '/catalog/default/component/work-orders-api';
const budgetMs = 1000;

async function ready() {
  try {
    return (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok;
  } catch {
    return false;
  }
}

async function startPortal() {
  const artifacts = resolve(repoRoot, 'packages/e2e-tests/artifacts');
  mkdirSync(artifacts, { recursive: true });
  const log = openSync(resolve(artifacts, 'bench-backend.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      fromE2eTests.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      resolve(repoRoot, 'app-config.yaml'),
      '--config',
      resolve(repoRoot, 'packages/e2e-tests/app-config.e2e.yaml'),
    ],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development' },
      detached: true,
    },
  );
  const deadline = Date.now() + 180_000;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        'The portal did not start; see packages/e2e-tests/artifacts/bench-backend.log',
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return child;
}

const fleet = environments(entityRef);
const byId = new Map(fleet.map(e => [e.id, e]));

async function answerStackyardApi(context) {
  await context.route(
    /\/api\/stackyard\/environments(\/[^/?]+)?(\?.*)?$/,
    route => {
      const url = new URL(route.request().url());
      const id = url.pathname.split('/environments/')[1];
      if (id) {
        const env = byId.get(decodeURIComponent(id));
        return env
          ? route.fulfill({ json: details(env) })
          : route.fulfill({
              status: 404,
              json: {
                error: {
                  name: 'NotFoundError',
                  message: 'no such environment',
                },
              },
            });
      }
      return route.fulfill({ json: { items: fleet } });
    },
  );
}

// Runs in the page: records in window.__interactiveAt the first moment the
// first page of environments is interactive, measured on the page's own clock.
const watchInteractive = () => {
  const interactive = () => {
    const cards = document.querySelectorAll('[data-testid="environment-card"]');
    if (cards.length < 20) return false;
    for (const card of cards) {
      if (!card.querySelector('[data-testid="last-operation"]')) return false;
    }
    for (const d of document.querySelectorAll('[id^="teardown-reason-"]')) {
      if (d.textContent.startsWith('Checking')) return false;
    }
    return true;
  };
  window.__interactiveAt = undefined;
  const observer = new MutationObserver(() => {
    if (window.__interactiveAt === undefined && interactive()) {
      window.__interactiveAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });
};

const median = values =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const portal = (await ready()) ? undefined : await startPortal();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    await answerStackyardApi(context);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true })
      .waitFor();

    const coldPage = await context.newPage();
    await coldPage.addInitScript(watchInteractive);

    const tabSwitch = [];
    const coldLoad = [];
    for (let run = 0; run < warmups + runs; run++) {
      // From the entity's overview, open the Infra tab (in-app navigation).
      await page.goto(`${baseUrl}${entityPath}`);
      const tab = page.locator(`a[href$="${entityPath}/infra"]`);
      await tab.waitFor();
      await page.evaluate(watchInteractive);
      // The clock starts when the click reaches the page.
      await page.evaluate(() =>
        document.addEventListener(
          'click',
          () => {
            window.__clickAt = performance.now();
          },
          { capture: true, once: true },
        ),
      );
      await tab.click();
      await page.waitForFunction(
        () => window.__interactiveAt !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      const tabMs = await page.evaluate(
        () => window.__interactiveAt - window.__clickAt,
      );

      // A full page load straight onto the Infra tab, in a second tab of the
      // signed-in browser (performance.now() counts from the navigation's start).
      await coldPage.goto(`${baseUrl}${entityPath}/infra`);
      await coldPage.waitForFunction(
        () => window.__interactiveAt !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      const coldMs = await coldPage.evaluate(() => window.__interactiveAt);
      if (run >= warmups) {
        tabSwitch.push(tabMs);
        coldLoad.push(coldMs);
      }
    }
    const alarms = fleet.reduce((n, e) => n + e.alarms.length, 0);
    const fmt = values =>
      `median ${median(values).toFixed(0)} ms, max ${Math.max(
        ...values,
      ).toFixed(0)} ms`;
    console.log(
      `${fleet.length} environments, ${alarms} alarms, ${runs} runs after ${warmups} warm-up runs, headless Chromium`,
    );
    console.log(
      `Infra tab opened from the entity page → interactive: ${fmt(
        tabSwitch,
      )} (budget ${budgetMs} ms)`,
    );
    console.log(
      `Full page load of the Infra tab → interactive: ${fmt(coldLoad)}`,
    );
    if (median(tabSwitch) > budgetMs) process.exitCode = 1;
  } finally {
    await browser.close();
    if (portal) process.kill(-portal.pid, 'SIGTERM');
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
