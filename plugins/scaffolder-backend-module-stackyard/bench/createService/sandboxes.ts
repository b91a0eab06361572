/** The sandbox pool's processes, as the benchmark watches them from outside. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxPool } from '@stackyard/cdk-guardrails';

/** CPU time (user + system, in clock ticks) of a process, from /proc. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is the first; utime, stime the 12th, 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Waits until the pool's sandboxes are idle: their CPU time has not grown
 * over two samples 150 ms apart (a warm spare only waits for its job).
 * Without /proc, waits a fixed 10 s instead. Adds the pids it sees to `seen`.
 */
export async function untilSandboxesIdle(pool: SandboxPool, seen: Set<number>) {
  if (!os.platform().startsWith('linux')) {
    await sleep(10_000);
    return;
  }
  const deadline = Date.now() + 180_000;
  let last = '';
  let quiet = 0;
  for (;;) {
    const pids = pool.pids;
    pids.forEach(p => seen.add(p));
    // None alive: the pool could not start one; the next job says why.
    if (pids.length === 0) return;
    const sample = pids.map(p => `${p}:${cpuTicks(p)}`).join(',');
    quiet = sample === last ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) {
      throw new Error(`sandboxes ${pids} still busy after 180 s`);
    }
    last = sample;
    await sleep(150);
  }
}

/** Whether process `pid` is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
