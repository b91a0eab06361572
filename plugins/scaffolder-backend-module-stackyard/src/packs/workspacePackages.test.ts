import { tmpdir } from 'os';
import { join } from 'path';
import { fixtureMonorepo } from '../__testUtils__/monorepo';
import {
  findWorkspaceRoot,
  listWorkspacePackages,
  packageClosure,
} from './workspacePackages';

describe('workspace packages', () => {
  const repo = fixtureMonorepo({
    '@x/app': {
      dir: 'packages/app',
      dependencies: { '@x/lib': '*', left: '^1.0.0' },
    },
    '@x/lib': { dir: 'packages/lib', dependencies: { '@x/base': '*' } },
    '@x/base': { dir: 'packages/base' },
    '@x/cli': { dir: 'tools/cli', dependencies: { '@x/base': '*' } },
  });
  afterAll(() => repo.cleanup());

  it('finds the root that declares workspaces, from inside a package', () => {
    expect(findWorkspaceRoot(join(repo.root, 'packages/app/src'))).toBe(
      repo.root,
    );
    expect(findWorkspaceRoot(tmpdir())).toBeUndefined();
  });

  it('lists packages of both pattern forms with their workspace dependencies only', () => {
    const packages = listWorkspacePackages(repo.root);
    expect([...packages.keys()].sort()).toEqual([
      '@x/app',
      '@x/base',
      '@x/cli',
      '@x/lib',
    ]);
    expect(packages.get('@x/app')).toEqual({
      name: '@x/app',
      version: '1.2.3',
      dir: join(repo.root, 'packages/app'),
      workspaceDependencies: ['@x/lib'],
    });
  });

  it('orders a closure with each package after its dependencies', () => {
    const packages = listWorkspacePackages(repo.root);
    expect(
      packageClosure(['@x/cli', '@x/app'], packages).map(p => p.name),
    ).toEqual(['@x/base', '@x/lib', '@x/app', '@x/cli']);
    expect(() => packageClosure(['@x/gone'], packages)).toThrow(
      '@x/gone is not a package of this repository',
    );
  });
});
