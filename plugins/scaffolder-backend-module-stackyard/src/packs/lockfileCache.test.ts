import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeLockfile } from './lockfileCache';
import type { PackSet } from './packCache';

jest.setTimeout(60_000);

describe('writeLockfile (real npm)', () => {
  let temp: string;
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'stackyard-lockfile-'));
  });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  const repo = (name: string, extra: object = {}) => {
    const dir = join(temp, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, version: '0.1.0', private: true, ...extra }),
    );
    return dir;
  };
  const lockOf = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));

  it('resolves once per package.json, whatever its name, and writes each its own name', async () => {
    const set: PackSet = { key: 'k', dir: join(temp, 'packs'), packages: [] };
    const log = jest.fn();
    const [orders, billing] = [repo('orders'), repo('billing')];
    await Promise.all([
      writeLockfile(orders, set, log),
      writeLockfile(billing, set, log),
    ]);
    expect(log.mock.calls).toEqual([
      ['Resolving package-lock.json (npm install --package-lock-only)'],
    ]);
    expect(lockOf(orders)).toMatchObject({
      name: 'orders',
      lockfileVersion: 3,
      packages: { '': { name: 'orders', version: '0.1.0' } },
    });
    expect(lockOf(billing)).toMatchObject({
      name: 'billing',
      packages: { '': { name: 'billing' } },
    });

    const other = repo('other', { engines: { node: '>=22' } });
    await writeLockfile(other, set, log);
    expect(log).toHaveBeenCalledTimes(2);
    expect(lockOf(other).packages['']).toMatchObject({
      name: 'other',
      engines: { node: '>=22' },
    });
  });
});
