import type { ChildProcess } from 'node:child_process';

/** Stops the backend process group started by globalSetup. */
export default async function globalTeardown() {
  const backend: ChildProcess | undefined = (globalThis as any)
    .__stackyardBackend;
  if (backend?.pid && backend.exitCode === null) {
    process.kill(-backend.pid, 'SIGTERM');
    await new Promise(resolve => {
      const timer = setTimeout(resolve, 10_000);
      backend.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
}
