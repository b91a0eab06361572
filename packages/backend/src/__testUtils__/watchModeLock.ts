import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK_FILE = join(tmpdir(), 'stackyard-backend-watch-mode.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lets one watch-mode portal test run at a time across jest workers: a
 * backend under `backstage-cli ... start` restarts on any change to the
 * backend's sources, so the file one test touches would restart another
 * test's portal halfway through. Resolves with the release function; a lock
 * left by a process that died is taken over.
 */
export async function acquireWatchModeLock(): Promise<() => void> {
  for (;;) {
    try {
      const fd = openSync(LOCK_FILE, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(LOCK_FILE, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    if (!holder || !isAlive(holder)) {
      rmSync(LOCK_FILE, { force: true });
      continue;
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
