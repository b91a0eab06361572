import { writeFileSync } from 'fs';
import { join } from 'path';
import { sourceHash } from './sourceHash';
import { listWorkspacePackages } from './workspacePackages';
import { fixtureMonorepo } from '../__testUtils__/monorepo';

describe('sourceHash', () => {
  it('changes with what is packed (sources, version), not with tests', () => {
    const repo = fixtureMonorepo({ '@x/lib': { dir: 'packages/lib' } });
    try {
      const hash = () =>
        sourceHash([...listWorkspacePackages(repo.root).values()]);
      const first = hash();
      expect(hash()).toBe(first);
      const dir = join(repo.root, 'packages/lib');
      writeFileSync(join(dir, 'src/index.test.ts'), 'test("x", () => {});\n');
      expect(hash()).toBe(first);
      writeFileSync(join(dir, 'src/index.ts'), 'export const name = 2;\n');
      const changed = hash();
      expect(changed).not.toBe(first);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: '@x/lib', version: '1.2.4' }),
      );
      expect(hash()).not.toBe(changed);
    } finally {
      repo.cleanup();
    }
  });
});
