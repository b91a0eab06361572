import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { getPriority, tmpdir } from 'os';
import { join } from 'path';
import { SandboxError } from './SandboxError';
import { spawnSync } from 'child_process';
import {
  SANDBOX_TMP_PREFIX,
  SandboxPool,
  removeOrphanedSandboxDirs,
} from './SandboxPool';

jest.setTimeout(180_000);

const MANIFEST = `service: { name: box, project: box, costCenter: cc, owner: group:default/box }
functions:
  api: { handler: index.handler, inline: "exports.handler = async () => ({})", timeout: 10, memorySize: 256, reservedConcurrency: 1 }
extension: ext.js
`;

const root = mkdtempSync(join(tmpdir(), 'sandbox-pool-test-'));
const sandboxRoot = join(root, 'sandboxes');
mkdirSync(sandboxRoot);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An app directory whose extension module is `source`. */
function app(name: string, source: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'stackyard.yaml'), MANIFEST);
  writeFileSync(join(dir, 'ext.js'), source);
  return dir;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const synth = { kind: 'synth', prefix: 'box', stage: 'dev' };

describe('SandboxPool', () => {
  it('refuses child processes to the job: the attempt is its error, and nothing ran', async () => {
    const marker = join(root, 'spawned');
    const dir = app(
      'spawn',
      `module.exports = () => { require('child_process').execSync(${JSON.stringify(
        `touch ${marker}`,
      )}); };`,
    );
    const pool = SandboxPool.create({ tmpRoot: sandboxRoot });
    try {
      const error = (await pool.run(dir, synth).catch(e => e)) as SandboxError;
      expect(error).toBeInstanceOf(SandboxError);
      expect(error.reason).toBe('failed');
      expect(error.jobErrorName).toBe('ExtensionError');
      expect(error.message).toMatch(
        /failed: Access to this API has been restricted/,
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('stops a job that runs past the time cap, with a clear error, and the next job still runs', async () => {
    const dir = app('forever', 'module.exports = () => { for (;;) {} };');
    const pool = SandboxPool.create({ tmpRoot: sandboxRoot, timeoutMs: 3000 });
    try {
      const started = Date.now();
      const error = (await pool.run(dir, synth).catch(e => e)) as SandboxError;
      expect(error).toBeInstanceOf(SandboxError);
      expect(error.reason).toBe('timeout');
      expect(error.message).toBe(
        'the sandboxed job did not finish within 3000 ms and was stopped',
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      const fine = app('fine', 'module.exports = () => {};');
      await expect(pool.run(fine, synth)).resolves.toMatchObject({
        templates: { 'box-dev': expect.anything() },
      });
    } finally {
      await pool.close();
    }
  });

  it('stops a job that allocates without bound at the memory cap, with a clear error', async () => {
    const dir = app(
      'hog',
      'module.exports = () => { const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() })); };',
    );
    const pool = SandboxPool.create({
      tmpRoot: sandboxRoot,
      memoryMb: 384,
      timeoutMs: 120_000,
    });
    try {
      const error = (await pool.run(dir, synth).catch(e => e)) as SandboxError;
      expect(error).toBeInstanceOf(SandboxError);
      expect(error.reason).toBe('memory');
      expect(error.message).toBe(
        'the sandboxed job went over its memory cap of 384 MiB and was stopped',
      );
    } finally {
      await pool.close();
    }
  });

  it('starts sandboxes at a lower CPU priority, every thread of them', async () => {
    const pool = SandboxPool.create({ tmpRoot: sandboxRoot });
    try {
      const [pid] = pool.pids;
      expect(getPriority(pid)).toBe(Math.max(getPriority(), 10));
      // Once Node has started its threads, they took the main thread's niceness.
      await new Promise(r => setTimeout(r, 1000));
      const threads = readdirSync(`/proc/${pid}/task`);
      expect(threads.length).toBeGreaterThan(1);
      expect(threads.map(t => getPriority(Number(t)))).toEqual(
        threads.map(() => getPriority(pid)),
      );
    } finally {
      await pool.close();
    }
  });

  it('leaves no process and no directory behind after jobs and close()', async () => {
    const before = readdirSync(sandboxRoot).filter(d =>
      d.startsWith(SANDBOX_TMP_PREFIX),
    );
    const dir = app('plain', 'module.exports = () => {};');
    const pool = SandboxPool.create({ tmpRoot: sandboxRoot });
    const pids = new Set<number>();
    for (let i = 0; i < 3; i++) {
      pool.pids.forEach(p => pids.add(p));
      await pool.run(dir, synth);
      pool.pids.forEach(p => pids.add(p));
    }
    expect(pids.size).toBeGreaterThanOrEqual(3);
    // A spare is waiting; close() ends it too.
    expect(pool.pids.length).toBeGreaterThan(0);
    await pool.close();
    expect(pool.pids).toEqual([]);
    expect([...pids].filter(alive)).toEqual([]);
    expect(
      readdirSync(sandboxRoot).filter(d => d.startsWith(SANDBOX_TMP_PREFIX)),
    ).toEqual(before);
    await expect(pool.run(dir, synth)).rejects.toThrow(
      'the sandbox pool is closed',
    );
  });

  it("removes the directories of pools whose process is gone, and no one else's", () => {
    const dir = join(root, 'orphans');
    mkdirSync(dir);
    // A process that has exited: its pool could not clean up after itself.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const names = {
      orphaned: `${SANDBOX_TMP_PREFIX}${gone}-aaaaaa`,
      ours: `${SANDBOX_TMP_PREFIX}${process.pid}-bbbbbb`,
      parents: `${SANDBOX_TMP_PREFIX}${process.ppid}-cccccc`,
      unowned: `${SANDBOX_TMP_PREFIX}dddddd`,
      other: 'not-a-sandbox',
    };
    for (const name of Object.values(names)) {
      mkdirSync(join(dir, name, 'warm-up'), { recursive: true });
    }
    expect(alive(gone)).toBe(false);
    expect(removeOrphanedSandboxDirs(dir)).toEqual([names.orphaned]);
    expect(readdirSync(dir).sort()).toEqual(
      [names.ours, names.parents, names.unowned, names.other].sort(),
    );
  });
});
