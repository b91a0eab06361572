import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { artifactsDir, baseUrl } from './portal/paths';
import { startHttpIntegration } from './infra/httpIntegration';
import {
  PreviewSocketClient,
  openPreviewSocket,
} from './infra/previewSocketClient';
import {
  createConnectionKey,
  registerDeployments,
  waitForEntity,
  waitForReconciled,
} from './infra/seedEnvironments';
import { awsTarget, stackIdOf, stacks } from './infra/loopbackAws';

const entityRef = 'component:default/infra-e2e-sockets';

const waitUntil = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
};

describe('Infra tab: preview socket inspector, and stack resources read from a loopback CloudFormation endpoint (real Chromium, real backend, real ws client)', () => {
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let integration: Awaited<ReturnType<typeof startHttpIntegration>>;
  let client: PreviewSocketClient;
  let connectionId: string;

  beforeAll(async () => {
    await waitForEntity(baseUrl, {
      kind: 'component',
      name: 'infra-e2e-sockets',
    });
    integration = await startHttpIntegration();
    const [socketEnv, qaEnv] = await registerDeployments(baseUrl, [
      {
        entityRef,
        target: 'local',
        status: 'ready',
        prefix: 'se2e',
        stage: 'dev',
        stackName: 'se2e-dev',
        // What the deploy action records for a service with WebSocket routes.
        outputs: { WebSocketRoutes: '$default→socket' },
        websocket: {
          routes: {
            $default: { integration: { type: 'http', url: integration.url } },
          },
        },
        stackResources: [
          { logicalId: 'SocketHandler', type: 'AWS::Lambda::Function' },
          { logicalId: 'SocketApi', type: 'AWS::ApiGatewayV2::Api' },
        ],
      },
      {
        entityRef,
        target: awsTarget.name,
        status: 'ready',
        prefix: 'se2e',
        stage: 'qa',
        stackName: 'se2e-qa',
        stackId: stackIdOf('se2e-qa'),
      },
    ]);
    await waitForReconciled(baseUrl, [qaEnv.environment.id]);
    const { id } = socketEnv.environment;
    const key = await createConnectionKey(baseUrl, id);
    client = await openPreviewSocket(
      `${baseUrl.replace(/^http/, 'ws')}/api/stackyard/sockets/${id}/dev`,
      key,
    );
    client.ws.send(JSON.stringify({ action: 'hello', from: 'e2e' }));
    await waitUntil(
      () =>
        integration.events.some(e => e.requestContext.routeKey === '$default'),
      'the $default route to receive the frame',
    );
    connectionId = integration.events.find(
      e => e.requestContext.routeKey === '$default',
    )!.requestContext.connectionId;

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    await signInAsGuest(page, baseUrl);
  });

  afterAll(async () => {
    client?.ws.terminate();
    await integration?.stop();
    await browser?.close();
  });

  const card = (stackName: string) =>
    page.getByRole('region', { name: stackName, exact: true });
  const panel = () =>
    card('se2e-dev').getByRole('region', { name: 'Preview socket' });

  it('shows the live connection and the frame the client sent', async () => {
    await page.goto(
      `${baseUrl}/catalog/default/component/infra-e2e-sockets/infra`,
    );
    await panel().getByText('1 live connection', { exact: true }).waitFor();
    await panel().getByRole('button', { name: 'Socket inspector' }).click();
    const connection = panel().getByTestId('socket-connection');
    await connection.waitFor();
    expect(await connection.textContent()).toContain(connectionId);
    const frame = panel().getByTestId('socket-frame').first();
    await frame.waitFor();
    const text = await frame.textContent();
    expect(text).toContain('in (from client)');
    expect(text).toContain('{"action":"hello","from":"e2e"}');
    await panel().scrollIntoViewIfNeeded();
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-socket-inspector.png'),
    });
  });

  it('sends a test message that the client receives', async () => {
    const received = client.nextMessage();
    await panel()
      .getByRole('button', { name: `Send test message to ${connectionId}` })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Send a test message to ${connectionId}`,
    });
    await dialog.getByLabel('Message').fill('hello from the inspector');
    await dialog.getByRole('button', { name: 'Send' }).click();
    expect(await received).toBe('hello from the inspector');
    await dialog.waitFor({ state: 'detached' });
    // The inspector refreshes after sending: the frame is listed as sent.
    const sent = panel()
      .getByTestId('socket-frame')
      .filter({ hasText: 'out (to client)' })
      .first();
    await sent.waitFor();
    expect(await sent.textContent()).toContain('hello from the inspector');
  });

  it('disconnects the connection, and the client sees the close', async () => {
    await panel()
      .getByRole('button', { name: `Disconnect ${connectionId}` })
      .click();
    const { code } = await client.closed;
    expect(code).toBe(1000);
    await panel().getByText('0 live connections', { exact: true }).waitFor();
    await panel().getByText('No open connections.').waitFor();
  });

  it('lists stack resources from ListStackResources with AWS console links, and local ones as not deployed', async () => {
    const qa = card('se2e-qa').getByRole('table', { name: 'Stack resources' });
    await qa.waitFor();
    const physicalId = (logicalId: string) =>
      stacks['se2e-qa'].resources!.find(r => r.logicalId === logicalId)!
        .physicalId!;
    // In the backend's order: by type, then logical id. Links end with
    // the hidden text Backstage's Link adds for screen readers.
    const newWindow = ', Opens in a new window';
    const rows = await qa.getByTestId('resource-row').allTextContents();
    expect(rows).toEqual([
      `AWS::Lambda::FunctionHandler${physicalId('Handler')}Console${newWindow}`,
      `AWS::Lambda::PermissionHandlerInvokePermission${physicalId(
        'HandlerInvokePermission',
      )}Stack resources${newWindow}`,
      `AWS::SQS::QueueJobs${physicalId('Jobs')}Console${newWindow}`,
    ]);
    const home = (service: string) =>
      `https://eu-west-1.console.aws.amazon.com/${service}/home?region=eu-west-1`;
    expect(
      await qa
        .getByRole('link', { name: 'Handler in the AWS console' })
        .getAttribute('href'),
    ).toBe(`${home('lambda')}#/functions/se2e-qa-handler`);
    expect(
      await qa
        .getByRole('link', { name: 'Jobs in the AWS console' })
        .getAttribute('href'),
    ).toBe(
      `${home('sqs/v3')}#/queues/${encodeURIComponent(physicalId('Jobs'))}`,
    );
    // A type with no console page of its own links to the stack's resources.
    expect(
      await qa
        .getByRole('link', {
          name: 'HandlerInvokePermission in the AWS console (stack resources)',
        })
        .getAttribute('href'),
    ).toBe(
      `${home('cloudformation')}#/stacks/resources?stackId=${encodeURIComponent(
        stackIdOf('se2e-qa'),
      )}`,
    );

    const dev = card('se2e-dev').getByRole('table', {
      name: 'Stack resources',
    });
    const local = await dev.getByTestId('resource-row').allTextContents();
    expect(local).toEqual([
      expect.stringMatching(/AWS::ApiGatewayV2::ApiSocketApi— not deployed/),
      expect.stringMatching(/AWS::Lambda::FunctionSocketHandler— not deployed/),
    ]);
    expect(await dev.getByRole('link').count()).toBe(0);
    await card('se2e-qa').scrollIntoViewIfNeeded();
    await page.screenshot({
      path: resolve(artifactsDir, 'infra-resources.png'),
    });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
