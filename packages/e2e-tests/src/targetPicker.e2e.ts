import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { awsTarget } from './infra/loopbackAws';
import { artifactsDir, baseUrl } from './portal/paths';
import { captureBackendToken } from './wizard/capturedToken';

// The portal's targets: `local` and the loopback `e2e-aws` target, which
// accepts preview, staging and prod only (globalSetup's configuration).
describe('Create wizard: target and stage pickers with a local and a loopback aws target (real Chromium, built portal)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let token: () => string;

  const shot = (name: string) =>
    page.screenshot({
      path: resolve(artifactsDir, `target-picker-${name}.png`),
    });

  /** The MUI select of a picker, found by its hidden input's test id. */
  const select = (testId: string): Locator =>
    page.getByTestId(testId).locator('xpath=..').getByRole('button');

  /** Picks an option of the open listbox and waits for it to close. */
  async function choose(listbox: Locator, name: string | RegExp) {
    await listbox.getByRole('option', { name }).click();
    // The menu fades out; screenshots wait until it is gone.
    await page.locator('.MuiPopover-root').waitFor({ state: 'detached' });
  }

  async function optionsOf(testId: string) {
    await select(testId).click();
    const listbox = page.getByRole('listbox');
    await listbox.waitFor();
    const options = await listbox.getByRole('option').allTextContents();
    return { listbox, options };
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    token = captureBackendToken(page);
    await signInAsGuest(page, baseUrl);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists both targets from GET /targets, without credentials', async () => {
    await page.goto(`${baseUrl}/create`);
    await page.getByTestId('template-card-actions--create').first().waitFor();
    const res = await page.request.get(`${baseUrl}/api/stackyard/targets`, {
      headers: { Authorization: `Bearer ${token()}` },
    });
    expect(res.status()).toBe(200);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      items: [
        { name: 'local', type: 'local' },
        {
          name: awsTarget.name,
          type: 'aws',
          accountId: awsTarget.accountId,
          region: awsTarget.region,
          stages: [...awsTarget.stages],
        },
      ],
    });
    // startLoopbackAws configures these in aws.accounts.
    expect(body).not.toContain('AKIAE2ELOOPBACK00000');
    expect(body).not.toContain('e2e-loopback-secret-not-checked');
    expect(body).not.toContain('127.0.0.1');
  });

  it('offers both targets, and on the aws target only the stages it accepts', async () => {
    const card = page
      .getByText('Serverless service (Lambda + SQS + DynamoDB)', {
        exact: true,
      })
      .locator(
        'xpath=ancestor::*[.//button[@data-testid="template-card-actions--create"]][1]',
      );
    await card.getByTestId('template-card-actions--create').click();

    await page.getByRole('textbox', { name: 'Name' }).fill('picker-svc');
    await page.getByRole('textbox', { name: 'Owner' }).click();
    await page
      .getByRole('option', { name: /platform/i })
      .first()
      .click();
    await page.getByRole('textbox', { name: 'System' }).click();
    await page
      .getByRole('option', { name: /work.orders/i })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox', { name: 'Project code' }).fill('picker');
    await page.getByRole('textbox', { name: 'Cost center' }).fill('cc-1234');
    await page.getByRole('button', { name: 'Next' }).click();

    // The first configured target is chosen, with the template's default stage.
    await page
      .getByText('local — local preview, not deployed to AWS')
      .waitFor();
    await page.getByText('dev (long-lived development)').waitFor();

    const targets = await optionsOf('stackyard-target-picker');
    expect(targets.options).toEqual([
      'local — local preview, not deployed to AWS',
      `e2e-aws — AWS account ${awsTarget.accountId} · ${awsTarget.region}`,
    ]);
    await shot('1-targets');
    await choose(targets.listbox, /^e2e-aws/);

    // dev stays chosen but is refused, with the reason, until changed.
    const refusal =
      'target "e2e-aws" does not accept stage "dev"; it accepts: preview, staging, prod';
    await page.getByText(refusal).first().waitFor();
    await shot('2-stage-refused');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(refusal).first().waitFor();
    expect(await page.getByText('Publish to').count()).toBe(0);

    const stages = await optionsOf('stackyard-stage-picker');
    // The template's stages the target accepts (it has no prod stage).
    expect(stages.options).toEqual([
      'preview (ephemeral)',
      'staging (alarms on)',
    ]);
    await choose(stages.listbox, 'staging (alarms on)');
    await shot('3-stage-on-aws');
    expect(await page.getByText(refusal).count()).toBe(0);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Local git directory (no Git host needed)').waitFor();

    // Back on local, every stage of the template is offered again.
    await page.getByRole('button', { name: 'Back' }).click();
    const again = await optionsOf('stackyard-target-picker');
    await choose(again.listbox, /^local/);
    const allStages = await optionsOf('stackyard-stage-picker');
    expect(allStages.options).toEqual([
      'dev (long-lived development)',
      'preview (ephemeral)',
      'staging (alarms on)',
    ]);
    await page.keyboard.press('Escape');
  }, 120_000);

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
