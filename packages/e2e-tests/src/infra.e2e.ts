import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';
import { registerDeployments, waitForEntity } from './infra/seedEnvironments';
import { withAlarms } from './infra/withAlarms';

const owned = 'component:default/infra-e2e-owned';
const foreign = 'component:default/infra-e2e-foreign';

describe('Infra tab (real Chromium, built portal, real stackyard backend)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'infra-e2e-owned',
    });
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'infra-e2e-foreign',
    });
    const local = { target: 'local', status: 'ready' as const };
    await registerDeployments(baseUrl, [
      {
        ...local,
        entityRef: owned,
        prefix: 'ie2e',
        stage: 'dev',
        stackName: 'ie2e-dev',
        outputs: {
          ApiUrl: 'https://ie2e-dev.example.com',
          SocketUrl: 'wss://ie2e-dev.example.com/live',
        },
        resources: { 'AWS::Lambda::Function': 2, 'AWS::SQS::Queue': 2 },
        stackResources: [
          { logicalId: 'ApiHandler', type: 'AWS::Lambda::Function' },
          { logicalId: 'OrdersWorker', type: 'AWS::Lambda::Function' },
          { logicalId: 'OrdersQueue', type: 'AWS::SQS::Queue' },
          { logicalId: 'OrdersDlq', type: 'AWS::SQS::Queue' },
        ],
        templateName: 'serverless-service',
        templateVersion: '1.0.0',
        expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      },
      {
        ...local,
        entityRef: owned,
        prefix: 'ie2e',
        stage: 'prod',
        stackName: 'ie2e-prod',
      },
      {
        ...local,
        entityRef: owned,
        prefix: 'ie2e-7',
        stage: 'dev',
        stackName: 'ie2e-7-dev',
      },
      {
        ...local,
        entityRef: foreign,
        prefix: 'fe2e',
        stage: 'dev',
        stackName: 'fe2e-dev',
      },
    ]);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    // The local target has no CloudWatch: alarms, which the reconciler reads
    // from AWS, are added to the backend's real answers.
    await withAlarms(page, {
      'ie2e-dev': [
        { name: 'ie2e-dev-api-latency', type: 'metric', state: 'OK' },
        {
          name: 'ie2e-dev-orders-dlq-depth',
          type: 'metric',
          state: 'ALARM',
          reason: 'Threshold Crossed: 1 datapoint [3.0] > 0',
        },
        {
          name: 'ie2e-dev-api-5xx',
          type: 'metric',
          state: 'INSUFFICIENT_DATA',
        },
      ],
    });
    await signInAsGuest(page, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const card = (stackName: string) =>
    page.getByRole('region', { name: stackName, exact: true });

  it('shows the summary card on the overview page', async () => {
    await page.goto(`${baseUrl}/catalog/default/component/infra-e2e-owned`);
    const summary = page.getByTestId('infra-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe('3 environments: 3 ready');
    await summary.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-summary-card.png'),
    });
  });

  it('lists the stacks with status, outputs, resources and alarms', async () => {
    // The entity page's tab bar links each tab to its path.
    await page.locator('a[href$="/infra-e2e-owned/infra"]').click();
    await card('ie2e-dev').waitFor();
    const dev = card('ie2e-dev');
    expect(await dev.getByTestId('environment-status').textContent()).toBe(
      'Ready',
    );
    await dev.getByText('local preview — not deployed to AWS').waitFor();
    expect(
      await dev
        .getByRole('link', { name: /ie2e-dev\.example\.com/ })
        .getAttribute('href'),
    ).toBe('https://ie2e-dev.example.com');
    const resources = dev.getByTestId('resources-summary');
    await resources.waitFor();
    expect(await resources.textContent()).toBe(
      '4 resources of 2 types (as synthesized)',
    );
    expect(await dev.getByTestId('resource-row').first().textContent()).toBe(
      'AWS::Lambda::FunctionApiHandler— not deployed',
    );
    expect(await dev.getByTestId('alarm-counts').textContent()).toBe(
      '1 in alarm · 1 insufficient data · 1 OK',
    );
    const alarmRows = await dev.getByTestId('alarm-row').allTextContents();
    expect(alarmRows[0]).toContain('ie2e-dev-orders-dlq-depth');
    expect(alarmRows[2]).toContain('ie2e-dev-api-latency');
    expect(await dev.getByTestId('last-operation').textContent()).toMatch(
      /^Last operation: deploy by service:e2e-infra-seeder, .* succeeded$/,
    );
    const headings = await page
      .getByRole('heading', { level: 2 })
      .allTextContents();
    expect(headings).toEqual(
      expect.arrayContaining(['Prefix ie2e', 'Prefix ie2e-7']),
    );
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-tab.png'),
      fullPage: true,
    });
  });

  it('refuses teardown of a protected stack, with the reason', async () => {
    const button = card('ie2e-prod').getByRole('button', { name: 'Tear down' });
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    await button.hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/^Protected: /);
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-teardown-protected.png'),
    });
  });

  it('tears down a stack after the owner types its name', async () => {
    await page.mouse.move(0, 0);
    const button = card('ie2e-7-dev').getByRole('button', {
      name: 'Tear down',
    });
    await page.waitForFunction(
      el => el && !el.hasAttribute('aria-disabled'),
      await button.elementHandle(),
    );
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Tear down ie2e-7-dev?' });
    const confirm = dialog.getByRole('button', { name: 'Tear down' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Stack name to confirm').fill('ie2e-7-dev');
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-teardown-confirm.png'),
    });
    await confirm.click();
    await dialog.getByText('Teardown finished.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await card('ie2e-7-dev').waitFor({ state: 'detached' });
    await page.getByLabel('Show deleted environments (1)').check();
    expect(
      await card('ie2e-7-dev').getByTestId('environment-status').textContent(),
    ).toBe('Deleted');
  });

  it('blocks teardown for a user who does not own the entity', async () => {
    await page.goto(
      `${baseUrl}/catalog/default/component/infra-e2e-foreign/infra`,
    );
    const button = card('fe2e-dev').getByRole('button', { name: 'Tear down' });
    await button.waitFor();
    await page.waitForFunction(
      el =>
        el?.getAttribute('aria-describedby') !== null &&
        document
          .getElementById(el!.getAttribute('aria-describedby')!)
          ?.textContent?.includes('not allowed'),
      await button.elementHandle(),
    );
    await button.hover();
    expect(await page.getByRole('tooltip').textContent()).toMatch(
      /not allowed/,
    );
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-teardown-not-owner.png'),
    });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
