import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { withLock } from './cacheLock';

describe('withLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stackyard-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a second holder wait for the first, saying so, and releases the lock', async () => {
    const order: string[] = [];
    let release = () => {};
    const first = withLock(
      dir,
      () => {},
      async () => {
        order.push('first start');
        await new Promise<void>(resolve => (release = resolve));
        order.push('first end');
      },
    );
    const log = jest.fn();
    const second = withLock(dir, log, async () => {
      order.push('second');
    });
    await new Promise(resolve => setTimeout(resolve, 700));
    expect(order).toEqual(['first start']);
    expect(log).toHaveBeenCalledWith(
      `Waiting for another process (pid ${process.pid}) packing the same packages`,
    );
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    mkdirSync(join(dir, '.lock'));
    writeFileSync(join(dir, '.lock', 'pid'), String(gone));
    const log = jest.fn();
    await expect(withLock(dir, log, async () => 'built')).resolves.toBe(
      'built',
    );
    expect(log).not.toHaveBeenCalled();
  });

  it('releases the lock when the work fails', async () => {
    await expect(
      withLock(
        dir,
        () => {},
        async () => {
          throw new Error('build failed');
        },
      ),
    ).rejects.toThrow('build failed');
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });
});
