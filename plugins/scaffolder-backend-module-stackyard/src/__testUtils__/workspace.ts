import { cpSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

/** The fixture services of the tests. */
export const FIXTURES = resolve(__dirname, '../__fixtures__');

/**
 * A temporary task workspace holding a copy of a fixture service in
 * `subdir` (default: the workspace root); removed by `cleanup()`.
 */
export function fixtureWorkspace(fixture: string, subdir = '.') {
  const path = mkdtempSync(join(tmpdir(), 'stackyard-ws-'));
  cpSync(join(FIXTURES, fixture), join(path, subdir), { recursive: true });
  return {
    path,
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}
