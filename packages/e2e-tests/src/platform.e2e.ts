import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';
import { postgresPortalVariables } from './portal/postgresPortal';
import { registerDeployments, waitForEntity } from './infra/seedEnvironments';
import { createStack, describeStackStatus } from './infra/cloudFormationQuery';
import { endpointVariable } from './infra/loopbackAws';
import { orphanStacks, orphanTags } from './infra/orphanStacks';
import {
  requestOrphanTeardown,
  waitForEntityMissing,
  waitForNoOrphan,
  waitForOrphan,
} from './infra/platformApi';
import { captureBackendToken } from './wizard/capturedToken';

/**
 * app-config.e2e.yaml reconciles every 2 s; a stack created just after a
 * cycle listed the account is found by the next one, 2 s later, which
 * itself takes well under a second. Beyond that is more than one cycle.
 */
const ONE_RECONCILE_CYCLE_MS = 2000 + 2000;

/** The cost center of the environments this test registers, and no other's. */
const costCenter = 'CC-PLATFORM-E2E';

const openPlatformPage = async (page: Page) => {
  await page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Stackyard', exact: true })
    .click();
  await page.getByRole('heading', { name: 'Orphan stacks' }).waitFor();
};

const orphanRow = (page: Page, stackName: string) =>
  page.getByTestId('orphan').filter({ hasText: stackName });

const teardownButton = (page: Page, stackName: string) =>
  page.getByRole('button', { name: `Tear down ${stackName}`, exact: true });

describe('Platform page: environments of every entity, and orphan stacks on a loopback CloudFormation endpoint (real Chromium, built portal, real stackyard backend)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'work-orders-api',
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    await signInAsGuest(page, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists environments of every entity, filtered by cost center, marks the one whose entity left the catalog, and links to the Infra tab', async () => {
    const [kept, retired] = await registerDeployments(baseUrl, [
      {
        entityRef: 'component:default/work-orders-api',
        target: 'local',
        prefix: 'wo-pe2e',
        stage: 'dev',
        stackName: 'wo-pe2e-dev',
        status: 'ready',
        costCenter,
      },
      {
        entityRef: 'component:default/platform-e2e-retired',
        target: 'local',
        prefix: 'retired-pe2e',
        stage: 'dev',
        stackName: 'retired-pe2e-dev',
        status: 'ready',
        costCenter,
      },
    ]);
    await waitForEntityMissing(baseUrl, retired.environment.id);
    expect(kept.environment.stackName).toBe('wo-pe2e-dev');

    await openPlatformPage(page);
    expect(page.url()).toBe(`${baseUrl}/stackyard`);
    await page.getByRole('textbox', { name: 'Cost center' }).fill(costCenter);
    const rows = page.getByTestId('platform-environment');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="platform-environment"]')
          .length === 2 &&
        !document.querySelector('[aria-label="Loading environments"]'),
    );
    const texts = await rows.allTextContents();
    expect(texts.join('\n')).toContain('wo-pe2e-dev');
    const retiredRow = rows.filter({ hasText: 'retired-pe2e-dev' });
    expect(
      await retiredRow.getByTestId('entity-missing-mark').textContent(),
    ).toBe('Entity missing from the catalog');
    expect(
      await rows
        .filter({ hasText: 'wo-pe2e-dev' })
        .getByTestId('entity-missing-mark')
        .count(),
    ).toBe(0);
    await page.screenshot({
      path: resolve(artifactsDir, 'platform-environments.png'),
      fullPage: true,
    });

    await page.getByRole('link', { name: 'wo-pe2e-dev', exact: true }).click();
    await page
      .getByRole('region', { name: 'wo-pe2e-dev', exact: true })
      .waitFor();
    expect(page.url()).toBe(
      `${baseUrl}/catalog/default/component/work-orders-api/infra`,
    );
  });

  it('lists a stack created on the loopback endpoint with a malformed entity tag as an orphan within one reconcile cycle', async () => {
    const stack = orphanStacks.admin;
    const created = Date.now();
    await createStack(process.env[endpointVariable]!, {
      name: stack.name,
      template: { Resources: { Jobs: { Type: 'AWS::SQS::Queue' } } },
      tags: orphanTags(stack),
    });
    const orphan = await waitForOrphan(baseUrl, stack.name, 15_000);
    expect(Date.now() - created).toBeLessThan(ONE_RECONCILE_CYCLE_MS);
    expect(orphan.kind).toBe('unreadable-tags');

    await openPlatformPage(page);
    const row = orphanRow(page, stack.name);
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('Unreadable tags');
    expect(text).toContain(orphan.reason);
    expect(text).toContain('e2e-aws · 123456789012 · eu-west-1');
  });

  it('tears it down as a platform admin after the confirmation: the stack is gone from the loopback endpoint', async () => {
    const stack = orphanStacks.admin;
    const button = teardownButton(page, stack.name);
    await page.waitForFunction(
      el => el && !el.hasAttribute('aria-disabled'),
      await button.elementHandle(),
    );
    await button.click();
    const dialog = page.getByRole('dialog', {
      name: `Tear down ${stack.name}?`,
    });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', {
      name: 'Tear down',
      exact: true,
    });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Stack name to confirm').fill(stack.name);
    await page.screenshot({
      path: resolve(artifactsDir, 'platform-orphan-teardown-confirm.png'),
    });
    await confirm.click();
    // The loopback endpoint takes 4 s to delete a stack.
    await dialog.getByText('Teardown finished.').waitFor({ timeout: 30_000 });
    expect(
      await describeStackStatus(process.env[endpointVariable]!, stack.name),
    ).toEqual({ error: 'ValidationError' });

    await dialog.getByRole('button', { name: 'Close' }).click();
    await waitForNoOrphan(baseUrl, stack.name);
    await page.reload();
    await page.getByRole('heading', { name: 'Orphan stacks' }).waitFor();
    await page
      .getByTestId('orphan')
      .first()
      .or(page.getByText(/^No orphan stacks/))
      .waitFor();
    expect(await orphanRow(page, stack.name).count()).toBe(0);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});

const postgresBaseUrl = process.env[postgresPortalVariables.baseUrl];
if (postgresBaseUrl) {
  // The PostgreSQL portal's platform admin group is one its guest is not in.
  describe('Platform page on PostgreSQL: a user outside the platform admin groups (real Chromium, built portal, real stackyard backend)', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let token: () => string;
    const endpoint = process.env[postgresPortalVariables.awsEndpoint]!;
    const stack = orphanStacks.nonAdmin;

    beforeAll(async () => {
      browser = await launchChromium();
      context = await browser.newContext({
        viewport: { width: 1600, height: 1000 },
      });
      page = await context.newPage();
      token = captureBackendToken(page);
      await signInAsGuest(page, postgresBaseUrl);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('sees the orphan, but its teardown is blocked, saying who may', async () => {
      await waitForOrphan(postgresBaseUrl, stack.name);
      await openPlatformPage(page);
      await orphanRow(page, stack.name).waitFor();
      const button = teardownButton(page, stack.name);
      const reason =
        'Only members of the platform admin groups can tear down orphan stacks';
      await page.waitForFunction(
        ([el, text]) =>
          (el as Element | null)
            ?.getAttribute('aria-describedby')
            ?.split(' ')
            .some(id => document.getElementById(id)?.textContent === text),
        [await button.elementHandle(), reason] as const,
      );
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      await button.hover();
      expect(await page.getByRole('tooltip').textContent()).toBe(reason);
      await page.screenshot({
        path: resolve(artifactsDir, 'platform-orphan-not-admin.png'),
        fullPage: true,
      });
      await button.click({ force: true });
      expect(await page.getByRole('dialog').count()).toBe(0);
    });

    it('is refused by the backend with 403 when asking anyway, and the stack stays', async () => {
      const orphan = await waitForOrphan(postgresBaseUrl, stack.name);
      const answer = await requestOrphanTeardown(
        postgresBaseUrl,
        orphan.id,
        token(),
      );
      expect(answer.status).toBe(403);
      expect(answer.message).toContain('stackyard.orphan.delete');
      expect(await describeStackStatus(endpoint, stack.name)).toEqual({
        status: 'CREATE_COMPLETE',
      });
    });
  });
}
