import type { ChildProcess } from 'node:child_process';

/** Stops a detached child and everything it started; waits up to 15 s. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
  if (child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      return; // already gone
    }
    // Its port is free once it has exited (a restart may reuse the port).
    await Promise.race([exited, new Promise(r => setTimeout(r, 5_000))]);
  }
}
