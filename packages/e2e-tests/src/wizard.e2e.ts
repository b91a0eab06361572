import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { seederToken } from './infra/seedEnvironments';
import { artifactsDir, baseUrl as mainBaseUrl } from './portal/paths';
import { postgresPortalVariables } from './portal/postgresPortal';
import { captureBackendToken } from './wizard/capturedToken';

// Unique per run: the names end up in stack names and the publish directory.
const suffix = Date.now().toString(36);

/** One portal backend: its URL, database and publish directory. */
interface Portal {
  database: string;
  /** Tag in service names and screenshot names. */
  tag: string;
  baseUrl: string;
  publishDirectory: string;
}

const portals: Portal[] = [
  {
    database: 'embedded SQLite',
    tag: '',
    baseUrl: mainBaseUrl,
    publishDirectory:
      process.env.APP_CONFIG_stackyard_scaffolder_localPublishDirectory!,
  },
];
const postgresBaseUrl = process.env[postgresPortalVariables.baseUrl];
if (postgresBaseUrl) {
  portals.push({
    database: 'PostgreSQL',
    tag: 'pg',
    baseUrl: postgresBaseUrl,
    publishDirectory: process.env[postgresPortalVariables.publishDirectory]!,
  });
} else {
  console.warn(
    'The wizard is not tested on PostgreSQL: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
  );
}

describe.each(portals)(
  'Create wizard: serverless service on the local target, on $database (real Chromium, built portal)',
  ({ tag, baseUrl, publishDirectory }) => {
    const serviceName = `wizard-${tag}${suffix}`;
    const project = `wz${tag}${suffix}`;
    const stackName = `${project}-dev`;
    let browser: Browser;
    let page: Page;
    let consoleErrors: string[];
    let token: () => string;

    const shot = (name: string) =>
      page.screenshot({
        path: resolve(
          artifactsDir,
          `wizard-${tag ? `${tag}-` : ''}${name}.png`,
        ),
      });

    async function api(path: string) {
      const res = await page.request.get(`${baseUrl}/api/${path}`, {
        headers: { Authorization: `Bearer ${token()}` },
      });
      return { status: res.status(), body: await res.json().catch(() => null) };
    }

    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      consoleErrors = recordConsoleErrors(page);
      token = captureBackendToken(page);
      // Signing in before the catalog has read catalog/org.yaml would give a
      // guest that owns nothing but itself (no platform-team), who may not
      // deploy; a fresh PostgreSQL catalog takes a few seconds.
      for (const deadline = Date.now() + 60_000; ; ) {
        const guest = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/user/default/guest`,
          { headers: { Authorization: `Bearer ${seederToken}` } },
        );
        if (guest.ok || Date.now() > deadline) break;
        await new Promise(r => setTimeout(r, 500));
      }
      await signInAsGuest(page, baseUrl);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
    });

    // Entity pickers: a text box inside a combobox, options in a listbox.
    async function pick(label: string, option: RegExp) {
      await page.getByRole('textbox', { name: label }).click();
      await page.getByRole('option', { name: option }).first().click();
    }

    it('fills the form, reviews and creates the service', async () => {
      await page.goto(`${baseUrl}/create`);
      // The nearest element around the title that holds a "Choose" button.
      const card = page
        .getByText('Serverless service (Lambda + SQS + DynamoDB)', {
          exact: true,
        })
        .locator(
          'xpath=ancestor::*[.//button[@data-testid="template-card-actions--create"]][1]',
        );
      await card.getByTestId('template-card-actions--create').click();

      await page.getByRole('textbox', { name: 'Name' }).fill(serviceName);
      await pick('Owner', /platform/i);
      await pick('System', /work.orders/i);
      await shot('1-service');
      await page.getByRole('button', { name: 'Next' }).click();

      await page.getByRole('textbox', { name: 'Project code' }).fill(project);
      await page.getByRole('textbox', { name: 'Cost center' }).fill('cc-1234');
      await page.getByRole('button', { name: 'Next' }).click();

      // Stage dev and target local are the defaults.
      await page.getByText('dev (long-lived development)').waitFor();
      await shot('2-environment');
      await page.getByRole('button', { name: 'Next' }).click();

      // Publishing to a local git directory is the default.
      await page
        .getByText('Local git directory (no Git host needed)')
        .waitFor();
      await page.getByRole('button', { name: 'Review' }).click();

      await page.getByText(serviceName).first().waitFor();
      await shot('3-review');
      await page.getByRole('button', { name: 'Create' }).click();

      // The task page: every step finishes and the result is shown.
      await page
        .getByText(`passed the safety policy and was published to`)
        .waitFor({ timeout: 90_000 });
      expect(page.url()).toMatch(/\/create\/tasks\/[\w-]+$/);
      await shot('4-task-done');
    }, 150_000);

    it('shows the synth summary in the task log', async () => {
      // The task page shows the log; its search box filters the lines.
      await page.getByRole('textbox', { name: 'Search' }).fill('Synthesized');
      const summary = page.getByText(
        new RegExp(`Synthesized ${stackName}: \\d+ resources \\(`),
      );
      await summary.first().waitFor();
      expect(await summary.first().textContent()).toMatch(
        /\d+ AWS::Lambda::Function/,
      );
      await shot('5-task-log');
    });

    it('registered the entity in the catalog from the local repository', async () => {
      // The register step waited for the catalog to process the new
      // location: the entity is there as the task ends, no retrying here.
      await expect(
        page.getByText('Not in the catalog yet', { exact: false }).count(),
      ).resolves.toBe(0);
      const entity = await api(
        `catalog/entities/by-name/component/default/${serviceName}`,
      );
      expect(entity.status).toBe(200);
      const target = entity.body.metadata.annotations[
        'backstage.io/managed-by-location'
      ].replace(/^stackyard-local:/, '');
      expect(target).toBe(
        join(publishDirectory, serviceName, 'catalog-info.yaml'),
      );
      expect(existsSync(target)).toBe(true);
      expect(entity.body.metadata.annotations['stackyard.io/template']).toBe(
        'serverless-service@1.2.0',
      );
    });

    it('opens the entity, whose Infra tab shows the local preview', async () => {
      await page.getByRole('link', { name: 'Open in catalog' }).click();
      await page.waitForURL(`**/catalog/default/component/${serviceName}`);
      await page.locator(`a[href$="/${serviceName}/infra"]`).click();
      const card = page.getByRole('region', { name: stackName, exact: true });
      await card.waitFor();
      await card.getByText('local preview — not deployed to AWS').waitFor();
      expect(await card.getByTestId('environment-status').textContent()).toBe(
        'Ready',
      );
      await shot('6-infra-tab');
    });

    it('invokes intake from the Infra tab, and the worker writes the item', async () => {
      const card = page.getByRole('region', { name: stackName, exact: true });
      const invoke = card.getByRole('button', { name: 'Invoke' });
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
      await result.getByText(/intake returned in \d+ ms/).waitFor({
        timeout: 60_000,
      });
      expect(await result.textContent()).toContain('"accepted": true');
      await shot('7-invoke');
      await dialog.getByRole('button', { name: 'Close' }).click();
      // The worker took the job from the queue and wrote the item.
      await card
        .getByRole('row', { name: /table \S*items\S* 1/ })
        .waitFor({ timeout: 30_000 });
    }, 120_000);

    it('sends a job the worker rejects to the dead-letter queue after maxReceiveCount receives; the panel shows its depth', async () => {
      const card = page.getByRole('region', { name: stackName, exact: true });
      await card.getByRole('button', { name: 'Invoke' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invoke a function' });
      // The running preview's functions are offered, intake first.
      await expect(dialog.getByLabel('Function').inputValue()).resolves.toBe(
        'intake',
      );
      // Valid for intake; the worker's DynamoDB put refuses a number beyond
      // 2^53, so it reports the record failed at every receive.
      await dialog
        .getByLabel('Payload (JSON)')
        .fill('{"id":"poison-1","payload":{"n":1e20}}');
      await dialog.getByRole('button', { name: 'Invoke' }).click();
      const result = dialog.getByTestId('invoke-result');
      await result.getByText(/intake returned in \d+ ms/).waitFor();
      expect(await result.textContent()).toContain('"accepted": true');
      await dialog.getByRole('button', { name: 'Close' }).click();
      // maxReceiveCount 3: moved on the 4th receive, visibility 180 s × 0.01.
      await card
        .getByRole('row', {
          name: /^dead-letter queue \S*jobs-dlq\S* \(of \S*jobs\S*\) 1 0$/,
        })
        .waitFor({ timeout: 60_000 });
      await card
        .getByRole('row', {
          name: /^queue \S*jobs\S* \(dead letters: .*\) 0 0$/,
        })
        .waitFor();
      // The poison job was never written.
      await card.getByRole('row', { name: /table \S*items\S* 1/ }).waitFor();
      await shot('8-dead-letter');
    }, 120_000);

    it('logged no console errors', () => {
      expect(consoleErrors).toEqual([]);
    });
  },
);
