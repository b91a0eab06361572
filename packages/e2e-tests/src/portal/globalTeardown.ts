import type { ChildProcess } from 'node:child_process';
import type { LoopbackAws } from '@stackyard/test-support/aws';
import { stopProcessGroup } from './stopProcessGroup';

/** Stops the backend and the loopback AWS endpoint started by globalSetup. */
export default async function globalTeardown() {
  const backend: ChildProcess | undefined = (globalThis as any)
    .__stackyardBackend;
  if (backend) await stopProcessGroup(backend);
  await (globalThis as any).__stackyardPostgresPortal?.stop();
  const fakeAws: LoopbackAws | undefined = (globalThis as any)
    .__stackyardFakeAws;
  await fakeAws?.stop();
}
