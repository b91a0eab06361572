import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';
import {
  registerDeployments,
  waitForEntity,
  waitForReconciled,
} from './infra/seedEnvironments';
import { describeStackStatus } from './infra/cloudFormationQuery';
import {
  awsTarget,
  endpointVariable,
  stackIdOf,
  stacks,
} from './infra/loopbackAws';

const owned = 'component:default/infra-e2e-owned';
const foreign = 'component:default/infra-e2e-foreign';

const consoleHome = (service: string) =>
  `https://eu-west-1.console.aws.amazon.com/${service}/home?region=eu-west-1`;

/** What Backstage's Link adds, hidden, for screen readers to external links. */
const newWindow = ', Opens in a new window';

describe('Infra tab: stacks and alarms of an aws target read from a loopback CloudFormation/CloudWatch endpoint (real Chromium, built portal, real stackyard backend)', () => {
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
    // As the deploy action records stacks it deployed to an aws target.
    const aws = (stackName: string) => ({
      target: awsTarget.name,
      status: 'ready' as const,
      stackName,
      stackId: stackIdOf(stackName),
    });
    const registered = await registerDeployments(baseUrl, [
      {
        ...aws('ie2e-dev'),
        entityRef: owned,
        prefix: 'ie2e',
        stage: 'dev',
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
        ...aws('ie2e-prod'),
        entityRef: owned,
        prefix: 'ie2e',
        stage: 'prod',
      },
      {
        ...aws('ie2e-7-dev'),
        entityRef: owned,
        prefix: 'ie2e-7',
        stage: 'dev',
      },
      {
        ...aws('fe2e-dev'),
        entityRef: foreign,
        prefix: 'fe2e',
        stage: 'dev',
      },
    ]);
    // Alarms and stack state come from the reconciler's reads of the
    // loopback endpoint, not from the registration.
    await waitForReconciled(
      baseUrl,
      registered.map(r => r.environment.id),
    );

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
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
    // ie2e-dev-orders-dlq-depth; the account's orphan alarm is no stack's.
    await page.getByText('1 alarm firing', { exact: true }).waitFor();
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
    await dev
      .getByText(`e2e-aws · ${awsTarget.accountId} · ${awsTarget.region}`)
      .waitFor();
    expect(
      await dev
        .getByRole('link', { name: 'Open in the CloudFormation console' })
        .getAttribute('href'),
    ).toBe(
      `${consoleHome(
        'cloudformation',
      )}#/stacks/stackinfo?stackId=${encodeURIComponent(
        stackIdOf('ie2e-dev'),
      )}`,
    );
    expect(
      await dev
        .getByRole('link', { name: /ie2e-dev\.example\.com/ })
        .getAttribute('href'),
    ).toBe('https://ie2e-dev.example.com');

    // ListStackResources' answer, in the tab's order (type, logical id).
    const resources = dev.getByTestId('resources-summary');
    await resources.waitFor();
    expect(await resources.textContent()).toBe(
      `4 resources of 2 types · All in the CloudFormation console${newWindow}`,
    );
    const physicalId = (logicalId: string) =>
      stacks['ie2e-dev'].resources!.find(r => r.logicalId === logicalId)!
        .physicalId!;
    expect(await dev.getByTestId('resource-row').allTextContents()).toEqual(
      [
        ['AWS::Lambda::Function', 'ApiHandler'],
        ['AWS::Lambda::Function', 'OrdersWorker'],
        ['AWS::SQS::Queue', 'OrdersDlq'],
        ['AWS::SQS::Queue', 'OrdersQueue'],
      ].map(([type, id]) => `${type}${id}${physicalId(id)}Console${newWindow}`),
    );
    const resourceLink = (logicalId: string) =>
      dev
        .getByRole('link', { name: `${logicalId} in the AWS console` })
        .getAttribute('href');
    expect(await resourceLink('ApiHandler')).toBe(
      `${consoleHome('lambda')}#/functions/${physicalId('ApiHandler')}`,
    );
    expect(await resourceLink('OrdersDlq')).toBe(
      `${consoleHome('sqs/v3')}#/queues/${encodeURIComponent(
        physicalId('OrdersDlq'),
      )}`,
    );

    // DescribeAlarms' answer, most severe first, then by name.
    expect(await dev.getByTestId('alarm-counts').textContent()).toBe(
      '1 in alarm · 1 insufficient data · 2 OK',
    );
    const alarmRows = await dev.getByTestId('alarm-row').allTextContents();
    expect(alarmRows).toEqual([
      `In alarmie2e-dev-orders-dlq-depth${newWindow}Threshold Crossed: 1 datapoint [3.0] > 0`,
      `Insufficient dataie2e-dev-api-5xx${newWindow}`,
      `OKie2e-dev-api-latency${newWindow}`,
      `OKie2e-dev-health${newWindow} (composite)`,
    ]);
    expect(
      await dev
        .getByRole('link', { name: 'ie2e-dev-orders-dlq-depth' })
        .getAttribute('href'),
    ).toBe(
      `${consoleHome('cloudwatch')}#alarmsV2:alarm/ie2e-dev-orders-dlq-depth`,
    );
    expect(
      await card('ie2e-prod').getByTestId('alarm-counts').textContent(),
    ).toBe('0 in alarm · 0 insufficient data · 1 OK');
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

  it('tears down a stack through DeleteStack on the loopback endpoint after the owner types its name', async () => {
    const endpoint = process.env[endpointVariable]!;
    expect(await describeStackStatus(endpoint, 'ie2e-7-dev')).toEqual({
      status: 'CREATE_COMPLETE',
    });
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
    // Finished once the backend sees the stack gone from CloudFormation.
    await dialog.getByText('Teardown finished.').waitFor();
    expect(await describeStackStatus(endpoint, 'ie2e-7-dev')).toEqual({
      error: 'ValidationError',
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await card('ie2e-7-dev').waitFor({ state: 'detached' });
    await page.getByLabel('Show deleted environments (1)').check();
    const deleted = card('ie2e-7-dev');
    expect(await deleted.getByTestId('environment-status').textContent()).toBe(
      'Deleted',
    );
    // The deletion's stack event, as DescribeStackEvents reported it.
    await deleted.getByText('Recent stack events').click();
    await deleted
      .getByTestId('stack-event')
      .filter({ hasText: 'DELETE_IN_PROGRESS' })
      .first()
      .waitFor();
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
