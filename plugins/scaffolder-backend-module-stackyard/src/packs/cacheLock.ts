import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

const LOCK_POLL_MS = 500;
const LOCK_TIMEOUT_MS = 15 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds `<cacheDir>/.lock` (a directory: creating one is atomic) while `fn`
 * runs, so that processes sharing the cache (two portals, a portal and
 * `npm run pack:stackyard`) build one at a time. A lock whose process is gone
 * is taken over.
 */
export async function withLock<T>(
  cacheDir: string,
  log: (message: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = join(cacheDir, '.lock');
  const owner = join(lock, 'pid');
  const started = Date.now();
  let said = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let pid = NaN;
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
      pid = Number(readFileSync(owner, 'utf8').trim() || NaN);
    } catch {
      // Just created (no pid yet) or just released.
    }
    const abandoned =
      (pid > 0 && pid !== process.pid && !processAlive(pid)) ||
      (!(pid > 0) && age > 10_000);
    if (abandoned) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > LOCK_TIMEOUT_MS) {
      throw new Error(
        `Waited ${
          LOCK_TIMEOUT_MS / 60_000
        } minutes for another process (pid ${pid}) packing Stackyard's packages; remove ${lock} if it is gone`,
      );
    }
    if (!said) {
      log(`Waiting for another process (pid ${pid}) packing the same packages`);
      said = true;
    }
    await new Promise(resolve => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
