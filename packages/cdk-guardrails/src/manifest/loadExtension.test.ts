import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { buildService } from './buildService';
import { ExtensionError } from './ExtensionError';
import { ManifestError } from './ManifestError';
import { loadExtension } from './loadExtension';
import { MANIFEST_FILE, loadManifest } from './loadManifest';

const extendedDir = join(__dirname, '../../fixtures/extended-service');
const manifest = loadManifest(join(extendedDir, MANIFEST_FILE));

describe('loadExtension', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackyard-extension-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is applied by buildService, as a plain CDK app (cdk deploy) builds the stack', () => {
    const service = buildService(new App(), manifest, { prefix: 'lg', stage: 'dev', appDir: extendedDir });
    expect(service.stack.node.tryFindChild('RawQueue')).toBeDefined();
    expect(service.stack.node.tryFindChild('Events')).toBeDefined();
  });

  it('is absent when the manifest declares none', () => {
    const { extension: _e, ...plain } = manifest;
    expect(loadExtension(extendedDir, plain, MANIFEST_FILE)).toBeUndefined();
  });

  it.each([
    ['a default export', 'exports.default = (service, { stage }) => { service.stack.node.addMetadata("seen", stage); };'],
    ['an "extend" export', 'exports.extend = (service, { stage }) => { service.stack.node.addMetadata("seen", stage); };'],
  ])('takes the function from %s', (_, source) => {
    const file = `ext-${Math.random().toString(36).slice(2)}.js`;
    writeFileSync(join(dir, file), source);
    const extension = loadExtension(dir, { ...manifest, extension: file }, MANIFEST_FILE)!;
    const service = buildService(new App(), manifest, { prefix: 'lg', stage: 'prod', appDir: dir, extension });
    expect(service.stack.node.metadata.find(m => m.type === 'seen')?.data).toBe('prod');
  });

  it('reports a failure as an ExtensionError, which is a ManifestError of the extension key', () => {
    writeFileSync(join(dir, 'bad.js'), 'module.exports = () => { throw new TypeError("x is undefined"); };');
    const extension = loadExtension(dir, { ...manifest, extension: 'bad.js' }, 'svc/stackyard.yaml')!;
    let error: unknown;
    try {
      buildService(new App(), manifest, { prefix: 'lg', stage: 'dev', appDir: dir, extension });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExtensionError);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ExtensionError).issues).toEqual([{ path: 'extension', message: 'failed: x is undefined' }]);
    expect((error as Error).message).toBe('service extension "bad.js" (declared in svc/stackyard.yaml): failed: x is undefined');
  });
});
