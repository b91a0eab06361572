import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { fixtureMonorepo } from '../__testUtils__/monorepo';
import { vendorWorkspacePackages } from './vendorWorkspacePackages';

describe('vendorWorkspacePackages', () => {
  const monorepo = fixtureMonorepo({ '@x/lib': { dir: 'packages/lib' } });
  const repo = join(monorepo.root, 'rendered');
  afterAll(() => monorepo.cleanup());

  const render = (json: object) => {
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'package.json'), JSON.stringify(json));
  };

  it('leaves a repository that needs no package of the monorepo as it is, building nothing', async () => {
    const json = { name: 'plain', devDependencies: { left: '^1.0.0' } };
    render(json);
    const log = jest.fn();
    await expect(
      vendorWorkspacePackages({ dir: repo, root: monorepo.root, log }),
    ).resolves.toEqual({ vendored: [] });
    expect(
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')),
    ).toEqual(json);
    expect(log).not.toHaveBeenCalled();
  });

  it('says why it cannot vendor a package whose sources are not there, and changes nothing', async () => {
    const json = { name: 'orders', devDependencies: { '@x/lib': '^1.2.3' } };
    render(json);
    rmSync(join(monorepo.root, 'packages/lib/src'), { recursive: true });
    await expect(
      vendorWorkspacePackages({
        dir: repo,
        root: monorepo.root,
        log: () => {},
      }),
    ).resolves.toEqual({
      vendored: [],
      skipped: `the sources of @x/lib are not in ${monorepo.root}`,
    });
    expect(
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')),
    ).toEqual(json);
  });
});
