import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** A monorepo in a temp directory: `packages/*` plus `tools/cli`. */
export function fixtureMonorepo(
  packages: Record<
    string,
    { dir: string; dependencies?: Record<string, string> }
  >,
) {
  const root = mkdtempSync(join(tmpdir(), 'stackyard-monorepo-'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'root', workspaces: ['packages/*', 'tools/cli'] }),
  );
  for (const [name, { dir, dependencies }] of Object.entries(packages)) {
    mkdirSync(join(root, dir, 'src'), { recursive: true });
    writeFileSync(
      join(root, dir, 'package.json'),
      JSON.stringify({ name, version: '1.2.3', dependencies }),
    );
    writeFileSync(
      join(root, dir, 'src', 'index.ts'),
      `export const name = '${name}';\n`,
    );
  }
  return {
    root,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
