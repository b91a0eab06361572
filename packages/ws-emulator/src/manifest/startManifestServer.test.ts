import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StandaloneServer } from '../standalone';
import { connect } from '../testing/harness';
import {
  SERVICE_MANIFEST,
  SERVICE_WEBSOCKET,
  writeService,
} from '../testing/serviceFixture';
import { startManifestServer } from './startManifestServer';

describe('startManifestServer', () => {
  let dir: string;
  let server: StandaloneServer | undefined;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-server-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the manifest with given handlers; options win over websocket.emulator', async () => {
    await writeService(
      dir,
      `${SERVICE_MANIFEST}${SERVICE_WEBSOCKET}  emulator: { port: 1, stage: dev }\n`,
    );
    const connected: string[] = [];
    server = await startManifestServer({
      manifest: dir,
      port: 0,
      host: undefined, // undefined options keep the manifest's (default) value
      handlers: {
        connection: async event => {
          connected.push(event.requestContext.routeKey);
          return { statusCode: 200 };
        },
      },
    });
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    const client = await connect(server.url);
    // `message` is still loaded from functions/message/index.js.
    client.send({ action: 'publish' });
    expect(await client.message()).toBe('publish {"action":"publish"}');
    await client.close();
    await server.close();
    server = undefined;
    expect(connected).toEqual(['$connect', '$disconnect']);
  });
});
