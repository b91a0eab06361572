import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';

describe('portal smoke test (real Chromium, built portal)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    consoleErrors = recordConsoleErrors(page);
    await signInAsGuest(page, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the example components in the catalog', async () => {
    // The catalog is the landing page.
    await page.goto(`${baseUrl}/?filters[kind]=component`);
    const table = page.getByRole('table');
    await table.getByRole('link', { name: 'Work Orders Notifier' }).waitFor();
    const links = await table.getByRole('link').allTextContents();
    expect(links).toEqual(
      expect.arrayContaining(['Work Orders API', 'Work Orders Notifier']),
    );
    await page.screenshot({ path: resolve(artifactsDir, 'catalog.png') });
  });

  it('lists the templates on the Create page', async () => {
    await page.goto(`${baseUrl}/create`);
    const card = page.getByText(
      'Serverless service (Lambda + SQS + DynamoDB)',
      {
        exact: true,
      },
    );
    await card.waitFor();
    expect(await card.count()).toBe(1);
    await page.screenshot({ path: resolve(artifactsDir, 'create.png') });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
