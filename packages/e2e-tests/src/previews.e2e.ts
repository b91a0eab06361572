import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import {
  PreviewSocketClient,
  openPreviewSocket,
} from './infra/previewSocketClient';
import { seederToken } from './infra/seedEnvironments';
import { artifactsDir, baseUrl } from './portal/paths';
import { captureBackendToken } from './wizard/capturedToken';

// Unique per run: the names end up in stack names and the publish directory.
const suffix = Date.now().toString(36);

/**
 * The WebSocket template's service, created with the wizard on the `local`
 * target of the embedded (SQLite) portal, runs: its socket URL is on the
 * Infra tab, its own handlers (in the preview runner, on dynalite) route
 * subscribe and publish between two real clients through `@connections`,
 * the inspector shows the frames, and teardown closes the clients.
 */
describe('Runnable preview: WebSocket service on the local target (real Chromium, built portal, real runtime)', () => {
  const serviceName = `live-${suffix}`;
  const project = `lv${suffix}`;
  const stackName = `${project}-dev`;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let token: () => string;
  let socketUrl: string;
  let environmentId: string;
  let key: string;
  const clients: PreviewSocketClient[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: resolve(artifactsDir, `previews-${name}.png`) });

  async function api(method: 'get' | 'post', path: string) {
    const res = await page.request[method](`${baseUrl}/api/${path}`, {
      headers: { Authorization: `Bearer ${token()}` },
    });
    return { status: res.status(), body: await res.json().catch(() => null) };
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    consoleErrors = recordConsoleErrors(page);
    token = captureBackendToken(page);
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
    for (const client of clients) client.ws.terminate();
    await browser?.close();
  });

  async function pick(label: string, option: RegExp) {
    await page.getByRole('textbox', { name: label }).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  it('creates the WebSocket service with the wizard on the local target', async () => {
    await page.goto(`${baseUrl}/create`);
    const card = page
      .getByText(
        'WebSocket service (API Gateway WebSocket + Lambda + DynamoDB)',
        { exact: true },
      )
      .locator(
        'xpath=ancestor::*[.//button[@data-testid="template-card-actions--create"]][1]',
      );
    await card.getByTestId('template-card-actions--create').click();
    await page.getByRole('textbox', { name: 'Name' }).fill(serviceName);
    await pick('Owner', /platform/i);
    await pick('System', /work.orders/i);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox', { name: 'Project code' }).fill(project);
    await page.getByRole('textbox', { name: 'Cost center' }).fill('cc-1234');
    await page.getByRole('button', { name: 'Next' }).click();
    // Target local and stage dev are the defaults.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText('passed the safety policy and was published to')
      .waitFor({ timeout: 90_000 });
    expect(page.url()).toMatch(/\/create\/tasks\/[\w-]+$/);
  }, 150_000);

  it("shows the preview socket's URL on the Infra tab", async () => {
    await page.goto(
      `${baseUrl}/catalog/default/component/${serviceName}/infra`,
    );
    const card = page.getByRole('region', { name: stackName, exact: true });
    await card.waitFor();
    const url = card.getByTestId('preview-socket-url');
    await url.waitFor();
    socketUrl = (await url.textContent())!;
    expect(socketUrl).toMatch(
      new RegExp(`^ws://[^/]+/api/stackyard/sockets/[0-9a-f-]{36}/dev$`),
    );
    environmentId = socketUrl.split('/').slice(-2)[0];
    await shot('1-infra-tab');
  });

  it('routes subscribe and publish between two real clients through the generated handlers', async () => {
    const rotated = await api(
      'post',
      `stackyard/environments/${environmentId}/sockets/connection-key`,
    );
    expect(rotated.status).toBe(200);
    key = rotated.body.key;
    // The first connection starts the preview (checkout, synth, runner).
    const subscriber = await openPreviewSocket(socketUrl, key);
    clients.push(subscriber);
    const publisher = await openPreviewSocket(socketUrl, key);
    clients.push(publisher);
    subscriber.ws.send(
      JSON.stringify({ action: 'subscribe', channel: 'news' }),
    );
    // One-way routes answer nothing: publish until the subscription is in.
    for (let attempt = 0; attempt < 40; attempt++) {
      if (subscriber.messages.length > 0) break;
      publisher.ws.send(
        JSON.stringify({ action: 'publish', channel: 'news', data: 'hello' }),
      );
      await new Promise(r => setTimeout(r, 500));
    }
    const logs = await api(
      'get',
      `stackyard/environments/${environmentId}/logs`,
    );
    expect({ received: subscriber.messages, logs: logs.body }).toMatchObject({
      received: expect.arrayContaining([
        JSON.stringify({ channel: 'news', data: 'hello' }),
      ]),
    });
    // Neither client got an error frame.
    expect(
      [...subscriber.messages, ...publisher.messages].filter(m =>
        m.includes('Internal server error'),
      ),
    ).toEqual([]);
  }, 90_000);

  it('shows the frames in the inspector and the preview running', async () => {
    const card = page.getByRole('region', { name: stackName, exact: true });
    const panel = card.getByRole('region', { name: 'Preview socket' });
    await panel.getByRole('button', { name: 'Refresh preview socket' }).click();
    await panel.getByText('2 live connections', { exact: true }).waitFor({
      timeout: 20_000,
    });
    await panel.getByRole('button', { name: 'Socket inspector' }).click();
    await panel
      .getByTestId('socket-frame')
      .filter({ hasText: '"action":"subscribe"' })
      .first()
      .waitFor();
    await panel
      .getByTestId('socket-frame')
      .filter({ hasText: '{"channel":"news","data":"hello"}' })
      .first()
      .waitFor();
    await card
      .getByTestId('preview-state')
      .filter({ hasText: 'running' })
      .waitFor({ timeout: 20_000 });
    expect(
      await panel.getByTestId('socket-connection').count(),
    ).toBeGreaterThanOrEqual(2);
    await shot('2-inspector');
  });

  it('closes both clients and frees the URL at teardown', async () => {
    const torn = await api(
      'post',
      `stackyard/environments/${environmentId}/teardown`,
    );
    expect(torn.status).toBe(202);
    const closes = await Promise.race([
      Promise.all(clients.map(c => c.closed)),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('clients not closed')), 15_000),
      ),
    ]);
    expect(closes).toHaveLength(2);
    await expect(openPreviewSocket(socketUrl, key)).rejects.toThrow(/404/);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
