import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManifestError } from '@stackyard/cdk-guardrails/manifest';
import { sampleConnectEvent } from '../testing/sampleConnectEvent';
import {
  SERVICE_MANIFEST,
  SERVICE_WEBSOCKET,
  writeService,
} from '../testing/serviceFixture';
import { loadManifestApi } from './manifestApi';

describe('loadManifestApi', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-api-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('builds one-way routes, one integration per function, and default settings', async () => {
    const file = await writeService(dir);
    const api = loadManifestApi(dir);
    expect(api.file).toBe(file);
    expect(Object.keys(api.routes)).toEqual([
      '$connect',
      '$disconnect',
      '$default',
      'publish',
    ]);
    expect(Object.values(api.routes).every(r => r.response === false)).toBe(
      true,
    );
    expect(api.routes.$connect.integration).toBe(
      api.routes.$disconnect.integration,
    );
    expect(api.routes.$connect.integration.description).toContain('connection');
    expect(api.settings).toMatchObject({
      host: '127.0.0.1',
      port: 3001,
      stage: 'local',
      logFrames: false,
      routeSelectionExpression: '$request.body.action',
    });
  });

  it('runs handlers given by function name instead of loading their code', async () => {
    await writeService(dir);
    await fs.rm(path.join(dir, 'functions/connection'), { recursive: true });
    const api = loadManifestApi(dir, {
      connection: async () => ({ statusCode: 401 }),
    });
    const result = await api.routes.$connect.integration.invoke(
      sampleConnectEvent(),
      {
        awsRequestId: 'r',
        deadline: Date.now() + 1000,
        signal: new AbortController().signal,
      },
    );
    expect(result).toMatchObject({ statusCode: 401 });
    expect(() => loadManifestApi(dir, { conection: async () => ({}) })).toThrow(
      /does not declare: "conection"/,
    );
  });

  it('reports schema problems through cdk-guardrails with line numbers', async () => {
    await writeService(
      dir,
      SERVICE_MANIFEST +
        SERVICE_WEBSOCKET.replace('$connect: connection', '$connect: nope'),
    );
    let error: unknown;
    try {
      loadManifestApi(path.join(dir, 'stackyard.yaml'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).issues).toEqual([
      expect.objectContaining({
        path: 'websocket.routes.$connect',
        line: expect.any(Number),
        message: expect.stringContaining('unknown function "nope"'),
      }),
    ]);
  });

  it('refuses functions with inline code', async () => {
    await writeService(
      dir,
      SERVICE_MANIFEST.replace(
        'code: functions/message',
        'inline: "exports.handler = async () => ({})"',
      ) + SERVICE_WEBSOCKET,
    );
    expect(() => loadManifestApi(dir)).toThrow(
      /websocket\.routes\.\$default: function "message": its code is inline[\s\S]*websocket\.routes\.publish: function "message"/,
    );
  });
});
