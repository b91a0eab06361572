// Runs a generated repository's own `npm test`, resolving its dependencies
// from this monorepo (NODE_PATH) and its TypeScript workspace packages
// through the Backstage transform. Arguments are arrays, never a shell line.
import { spawn } from 'node:child_process';
import { renderedRepoEnv } from './childProcess.mjs';

export function runGeneratedTests(dir, { timeoutMs = 300_000 } = {}) {
  return new Promise(resolve => {
    const child = spawn('npm', ['test', '--silent'], {
      cwd: dir,
      env: renderedRepoEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const timer = setTimeout(() => {
      output += `\nTimed out after ${timeoutMs / 1000}s`;
      process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ ok: code === 0, code, output });
    });
  });
}
