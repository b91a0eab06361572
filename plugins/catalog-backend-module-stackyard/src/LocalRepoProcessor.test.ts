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

  describe('a catalog file rendered from hostile answers', () => {
    const target = () => join(publishDir, 'billing-api/catalog-info.yaml');
    const write = (text: string) => writeFileSync(target(), text);
    const errorsOf = (results: CatalogProcessorResult[]) =>
      results.flatMap(r => (r.type === 'error' ? [r.error.message] : []));
    const entitiesOf = (results: CatalogProcessorResult[]) =>
      results.flatMap(r =>
        r.type === 'entity'
          ? [`${r.entity.kind}:${r.entity.metadata.name}`]
          : [],
      );

    it('reads a normal Component with a web source location', async () => {
      write(
        component.replace(
          'name: billing-api\n',
          'name: billing-api\n  annotations:\n    backstage.io/source-location: url:https://github.com/acme/billing-api/tree/main/\n',
        ),
      );
      const { results } = await read({
        type: 'stackyard-local',
        target: target(),
      });
      expect(errorsOf(results)).toEqual([]);
      expect(entitiesOf(results)).toEqual(['Component:billing-api']);
    });

    it('refuses a Template smuggled in after a document break', async () => {
      // What an unquoted `description: ${{ values.description }}` renders
      // for the answer "x\n---\n<a Template>".
      write(`${component}---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: evil
spec:
  type: service
  steps: []
`);
      const { results } = await read({
        type: 'stackyard-local',
        target: target(),
      });
      expect(entitiesOf(results)).toEqual(['Component:billing-api']);
      expect(errorsOf(results)).toEqual([
        'A locally published repository may not register a "Template" entity ("evil")',
      ]);
      // The error fails the location's processing as a whole, so the
      // catalog stores neither document (see portal.test.ts end to end).
      expect(results).toContainEqual(
        expect.objectContaining({
          type: 'error',
          error: expect.objectContaining({ name: 'InputError' }),
          location: { type: 'stackyard-local', target: target() },
        }),
      );
    });

    it.each([
      [
        'a Location',
        'Location',
        'spec:\n  type: url\n  target: file:/etc/passwd\n',
      ],
      ['a Group', 'Group', 'spec:\n  type: team\n  children: []\n'],
      ['a User', 'User', 'spec:\n  memberOf: [platform-team]\n'],
      [
        'a lower-case template',
        'template',
        'spec:\n  type: service\n  steps: []\n',
      ],
    ])('refuses %s', async (_, kind, spec) => {
      write(
        `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: evil\n${spec}`,
      );
      const { results } = await read({
        type: 'stackyard-local',
        target: target(),
      });
      expect(entitiesOf(results)).toEqual([]);
      expect(errorsOf(results)).toEqual([
        `A locally published repository may not register a "${kind}" entity ("evil")`,
      ]);
    });

    it.each([
      ['backstage.io/source-location', 'file:/etc/'],
      ['backstage.io/source-location', 'url:file:///etc/'],
      ['backstage.io/techdocs-ref', 'dir:../../..'],
      ['backstage.io/view-url', 'file:///etc/passwd'],
      ['backstage.io/managed-by-location', 'file:/etc/passwd'],
    ])('refuses a %s annotation of %s', async (key, value) => {
      write(
        component.replace(
          'name: billing-api\n',
          `name: billing-api\n  annotations:\n    ${key}: ${JSON.stringify(
            value,
          )}\n`,
        ),
      );
      const { results } = await read({
        type: 'stackyard-local',
        target: target(),
      });
      expect(entitiesOf(results)).toEqual([]);
      expect(errorsOf(results)).toEqual([
        expect.stringContaining(`Annotation ${key}`),
      ]);
    });
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
