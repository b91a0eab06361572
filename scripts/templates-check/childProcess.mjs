// Processes run from a rendered repository: its dependencies resolve from
// this monorepo (NODE_PATH), its TypeScript workspace packages through the
// Backstage transform. Each runs in its own process group, so stopping it
// stops whatever it started. Arguments are arrays, never a shell line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { nodeTransform, repoRoot } from './require.mjs';

/** The environment of a process run in a rendered repository. */
export function renderedRepoEnv(extra = {}) {
  // Not a subtest of whatever runs this (node:test sets NODE_TEST_CONTEXT).
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_PATH: join(repoRoot, 'node_modules'),
    NODE_OPTIONS: `--require ${nodeTransform}`,
    // The generated repo is not a workspace of this monorepo.
    npm_config_workspaces: 'false',
    ...extra,
  };
}

/**
 * Starts `command` in `cwd` in its own process group; `output()` is
 * everything it wrote so far, `stop()` ends the group (SIGINT, then
 * SIGKILL after `graceMs`) and resolves once it has exited.
 */
export function startProcess(command, args, { cwd, env, graceMs = 3000 }) {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set();
  const append = data => {
    output += data;
    for (const listener of listeners) listener(output);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise(resolve =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let running = true;
  void exited.then(() => (running = false));
  const signalGroup = signal => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    output: () => output,
    exited,
    /** Resolves with the first match of `pattern` in the output. */
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = text => {
          const match = pattern.exec(text);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs / 1000}s`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`exited (${signal ?? code}) before ${pattern}`));
        });
        listeners.add(check);
        check(output);
      });
    },
    async stop() {
      if (running) signalGroup('SIGINT');
      const deadline = Date.now() + graceMs;
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      // The leader (e.g. npm) may exit before what it started has closed:
      // give the rest of the group the same grace, then kill it.
      while (groupAlive() && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      signalGroup('SIGKILL');
      return result;
    },
  };
}
