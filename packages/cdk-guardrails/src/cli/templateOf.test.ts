import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { ServiceManifest } from '../manifest/schema';
import { templateOf } from './templateOf';

const manifest = (template?: { name: string; version: string }) =>
  ({ service: { name: 'orders', project: 'wo', costCenter: 'cc', owner: 'component:default/orders', template } }) as ServiceManifest;

describe('templateOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackyard-template-of-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const catalogInfo = (text: string) => writeFileSync(join(dir, 'catalog-info.yaml'), text);

  it("prefers the manifest's service.template", () => {
    catalogInfo('kind: Component\nmetadata: { name: orders, annotations: { stackyard.io/template: other@9.9.9 } }\n');
    expect(templateOf(dir, manifest({ name: 'serverless-service', version: '1.0.0' }))).toEqual({
      name: 'serverless-service',
      version: '1.0.0',
    });
  });

  it("reads the Component's stackyard.io/template annotation otherwise, among several documents", () => {
    catalogInfo(
      'kind: Location\nmetadata: { name: l }\n---\nkind: Component\nmetadata:\n  name: orders\n  annotations:\n    stackyard.io/template: websocket-service@1.2.0\n',
    );
    expect(templateOf(dir, manifest())).toEqual({ name: 'websocket-service', version: '1.2.0' });
  });

  it.each([
    ['no version', 'kind: Component\nmetadata: { annotations: { stackyard.io/template: websocket-service } }\n'],
    ['not YAML', 'kind: [Component\n'],
    ['no annotation', 'kind: Component\nmetadata: { name: orders }\n'],
  ])('says nothing for a catalog-info.yaml with %s', (_, text) => {
    catalogInfo(text);
    expect(templateOf(dir, manifest())).toBeUndefined();
  });
});
