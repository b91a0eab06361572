import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { rmSync } from 'fs';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { RunningPreview } from './types';

jest.setTimeout(60_000);

function listen(host: string, port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((_, res) => res.end('ok'));
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

describe('startPreview network (real runner)', () => {
  let fixture: Awaited<ReturnType<typeof serverlessFixture>>;
  let preview: RunningPreview;
  let portal: Server;
  let elsewhere: Server;
  let port: number;

  beforeAll(async () => {
    fixture = await serverlessFixture();
    // The portal's @connections endpoint, named as the backend names it.
    portal = await listen('127.0.0.1');
    port = (portal.address() as AddressInfo).port;
    // Another service on the same port of another loopback address.
    elsewhere = await listen('127.0.0.2', port);
    preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: fixture.workDir,
      env: {
        WEBSOCKET_CALLBACK_URL: `http://localhost:${port}/api/sockets/x/dev`,
      },
    });
  });

  afterAll(async () => {
    await preview?.stop();
    portal?.close();
    elsewhere?.close();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  it('reaches the host and port of a URL in env', async () => {
    expect(
      await preview.invoke('probe', {
        action: 'http',
        url: `http://localhost:${port}/`,
      }),
    ).toMatchObject({
      ok: true,
      result: 200,
    });
  });

  it('refuses other ports and addresses, and an allowed name sent elsewhere by a lookup of its own', async () => {
    const otherPort = await preview.invoke('probe', {
      action: 'http',
      url: `http://localhost:${port + 1}/`,
    });
    expect(otherPort).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not allowed') },
    });
    const otherAddress = await preview.invoke('probe', {
      action: 'http',
      url: `http://127.0.0.2:${port}/`,
    });
    expect(otherAddress).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not allowed') },
    });
    const viaLookup = await preview.invoke('probe', {
      action: 'connect-via',
      host: 'localhost',
      port,
      address: '127.0.0.2',
    });
    expect(viaLookup).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not allowed') },
    });
  });
});
