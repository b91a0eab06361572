import type { ChildProcess } from 'node:child_process';
import { stopProcessGroup } from './stopProcessGroup';

/** Stops the backend started by globalSetup. */
export default async function globalTeardown() {
  const backend: ChildProcess | undefined = (globalThis as any)
    .__stackyardBackend;
  if (backend) await stopProcessGroup(backend);
}
