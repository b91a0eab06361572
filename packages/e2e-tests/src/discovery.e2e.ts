import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';
import { waitForEntity } from './infra/seedEnvironments';
import { createStack } from './infra/cloudFormationQuery';
import { ciStack, endpointVariable } from './infra/loopbackAws';

/**
 * app-config.e2e.yaml reconciles every 2 s; a stack created just after a
 * cycle listed the account is found by the next one, 2 s later, which
 * itself takes well under a second. Beyond that is more than one cycle.
 */
const ONE_RECONCILE_CYCLE_MS = 2000 + 2000;

describe('Infra tab: a stack CI created directly on the loopback CloudFormation endpoint (real Chromium, built portal, real stackyard backend)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'infra-e2e-discovered',
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    await signInAsGuest(page, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const card = () =>
    page.getByRole('region', { name: ciStack.name, exact: true });

  it('shows on its entity’s Infra tab within one reconcile cycle, live, with its branch', async () => {
    await page.goto(
      `${baseUrl}/catalog/default/component/infra-e2e-discovered/infra`,
    );
    await page.getByText('No environments yet').waitFor();

    const created = Date.now();
    await createStack(process.env[endpointVariable]!, {
      name: ciStack.name,
      template: ciStack.template,
      tags: {
        'stackyard:entity-ref': ciStack.entityRef,
        'stackyard:prefix': ciStack.prefix,
        'stackyard:stage': ciStack.stage,
        'stackyard:branch': ciStack.branch,
        'stackyard:commit': ciStack.commit,
      },
    });
    // The open page learns of it through a live update, without a reload.
    await card().waitFor({ timeout: 15_000 });
    const elapsed = Date.now() - created;
    expect(elapsed).toBeLessThan(ONE_RECONCILE_CYCLE_MS);

    const text = await card().textContent();
    expect(text).toContain(ciStack.branch);
    expect(text).toContain('discovered in AWS');
    // CreateStack answers while the stack is still being created: a cycle
    // that reads it CREATE_IN_PROGRESS adopts it as Deploying, and the next
    // one brings Ready, live as well.
    const status = card().getByTestId('environment-status');
    await status
      .filter({ hasText: /^Ready$/ })
      .waitFor({ timeout: 2 * ONE_RECONCILE_CYCLE_MS });
    expect(await status.textContent()).toBe('Ready');
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-discovered.png'),
      fullPage: true,
    });
  });

  it('checks its drift: the queue changed outside CloudFormation shows expected vs actual', async () => {
    const check = card().getByRole('button', { name: 'Check drift' });
    await page.waitForFunction(
      el => el && !el.hasAttribute('aria-disabled'),
      await check.elementHandle(),
    );
    await check.click();
    const mark = card().getByTestId('drift-mark');
    await mark.waitFor({ timeout: 20_000 });
    expect(await mark.textContent()).toBe('Drifted: 1 resource');
    const rows = await card().getByTestId('drift-row').allTextContents();
    expect(rows).toEqual([
      'Jobs AWS::SQS::Queuemodified/VisibilityTimeout30300',
    ]);
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-drift.png'),
      fullPage: true,
    });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
