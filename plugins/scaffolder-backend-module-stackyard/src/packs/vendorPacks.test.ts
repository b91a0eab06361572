import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { PackSet } from './packCache';
import { vendorPacks } from './vendorPacks';

describe('vendorPacks', () => {
  let temp: string;
  let set: PackSet;
  let repo: string;
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'stackyard-vendor-'));
    const dir = join(temp, 'packs');
    mkdirSync(dir);
    set = {
      key: 'k',
      dir,
      packages: [
        {
          name: '@x/base',
          version: '1.0.0',
          file: 'x-base-1.0.0.tgz',
          dependencies: [],
        },
        {
          name: '@x/lib',
          version: '1.0.0',
          file: 'x-lib-1.0.0.tgz',
          dependencies: ['@x/base'],
        },
        {
          name: '@x/ws',
          version: '1.0.0',
          file: 'x-ws-1.0.0.tgz',
          dependencies: ['@x/lib'],
        },
      ],
    };
    for (const p of set.packages) writeFileSync(join(dir, p.file), p.name);
    repo = join(temp, 'repo');
    mkdirSync(repo);
  });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  const writePackageJson = (json: object) =>
    writeFileSync(join(repo, 'package.json'), JSON.stringify(json));
  const readPackageJson = () =>
    JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

  it('points direct dependencies at the copied tarballs and leaves the rest as they were', () => {
    writePackageJson({
      name: 'orders',
      // A value that text substitution would trip over stays as it is.
      description: '"@x/lib": "^1.0.0"',
      devDependencies: {
        '@x/lib': '^1.0.0',
        '@x/base': '^1.0.0',
        'aws-cdk-lib': '^2.0.0',
      },
    });
    const vendored = vendorPacks(repo, set);
    expect(vendored.map(p => p.name).sort()).toEqual(['@x/base', '@x/lib']);
    expect(readPackageJson()).toEqual({
      name: 'orders',
      description: '"@x/lib": "^1.0.0"',
      devDependencies: {
        '@x/lib': 'file:vendor/stackyard/x-lib-1.0.0.tgz',
        '@x/base': 'file:vendor/stackyard/x-base-1.0.0.tgz',
        'aws-cdk-lib': '^2.0.0',
      },
    });
    expect(
      readFileSync(join(repo, 'vendor/stackyard/x-lib-1.0.0.tgz'), 'utf8'),
    ).toBe('@x/lib');
    expect(existsSync(join(repo, 'vendor/stackyard/x-ws-1.0.0.tgz'))).toBe(
      false,
    );
  });

  it('reaches what the dependencies depend on through overrides', () => {
    writePackageJson({
      name: 'chat',
      dependencies: { '@x/ws': '^1.0.0' },
      overrides: { left: '1.0.0' },
    });
    vendorPacks(repo, set);
    expect(readPackageJson()).toEqual({
      name: 'chat',
      dependencies: { '@x/ws': 'file:vendor/stackyard/x-ws-1.0.0.tgz' },
      overrides: {
        left: '1.0.0',
        '@x/lib': 'file:vendor/stackyard/x-lib-1.0.0.tgz',
        '@x/base': 'file:vendor/stackyard/x-base-1.0.0.tgz',
      },
    });
  });

  it('changes nothing in a repository that needs none of the packages', () => {
    const json = { name: 'plain', dependencies: { left: '^1.0.0' } };
    writePackageJson(json);
    expect(vendorPacks(repo, set)).toEqual([]);
    expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(
      JSON.stringify(json),
    );
    expect(existsSync(join(repo, 'vendor'))).toBe(false);
  });
});
