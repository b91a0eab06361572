import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CatalogProcessorResult,
  LocationSpec,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { LocalRepoProcessor } from './LocalRepoProcessor';

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/platform-team
`;

describe('LocalRepoProcessor (real files)', () => {
  let root: string;
  let publishDir: string;
  let outside: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-local-repo-'));
    publishDir = join(root, 'repos');
    outside = join(root, 'secrets');
    mkdirSync(join(publishDir, 'billing-api'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(publishDir, 'billing-api/catalog-info.yaml'), component);
    writeFileSync(join(outside, 'catalog-info.yaml'), component);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function read(location: LocationSpec, optional = false) {
    const results: CatalogProcessorResult[] = [];
    const handled = await new LocalRepoProcessor(publishDir).readLocation(
      location,
      optional,
      r => results.push(r),
      async function* parser({ data, location: at }) {
        yield* parseEntityYaml(data, at);
      },
    );
    return { handled, results };
  }

  it('reads a catalog file inside the publish directory', async () => {
    const target = join(publishDir, 'billing-api/catalog-info.yaml');
    const { handled, results } = await read({
      type: 'stackyard-local',
      target,
    });
    expect(handled).toBe(true);
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'entity',
          entity: expect.objectContaining({
            metadata: { name: 'billing-api' },
          }),
          location: { type: 'stackyard-local', target },
        }),
        { type: 'refresh', key: `stackyard-local:${target}` },
      ]),
    );
  });

  it('leaves other location types to other processors', async () => {
    const { handled, results } = await read({
      type: 'file',
      target: join(outside, 'catalog-info.yaml'),
    });
    expect(handled).toBe(false);
    expect(results).toEqual([]);
  });

  it.each([
    ['a file outside the directory', () => join(outside, 'catalog-info.yaml')],
    ['a "../" escape', () => join(publishDir, '../secrets/catalog-info.yaml')],
    [
      'a symlink leading outside',
      () => {
        symlinkSync(outside, join(publishDir, 'evil'));
        return join(publishDir, 'evil/catalog-info.yaml');
      },
    ],
    ['a relative path', () => 'billing-api/catalog-info.yaml'],
  ])('refuses %s with an input error and reads nothing', async (_, target) => {
    const { results } = await read({
      type: 'stackyard-local',
      target: target(),
    });
    expect(results).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(
            /outside the local publish directory|must be an absolute path/,
          ),
        }),
      }),
    ]);
  });

  it('reports a missing file as not found, unless optional', async () => {
    const target = join(publishDir, 'gone/catalog-info.yaml');
    const required = await read({ type: 'stackyard-local', target });
    expect(required.results).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ name: 'NotFoundError' }),
      }),
    ]);
    const optional = await read({ type: 'stackyard-local', target }, true);
    expect(optional.results).toEqual([]);
  });
});
