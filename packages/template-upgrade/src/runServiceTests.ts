import { spawn } from 'child_process';
import { dirname } from 'path';

/** Where the service's dependencies resolve when it has no node_modules of its own. */
export function defaultTestEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  try {
    // The node_modules holding the CDK the engine itself uses.
    env.NODE_PATH = dirname(
      dirname(require.resolve('aws-cdk-lib/package.json')),
    );
  } catch {
    // The service brings its own node_modules.
  }
  try {
    // In a source checkout the Stackyard packages are TypeScript.
    env.NODE_OPTIONS = `--require ${require.resolve(
      '@backstage/cli/config/nodeTransform.cjs',
    )}`;
  } catch {
    // Built packages need no transform.
  }
  return env;
}

/**
 * Runs the service's own `npm test` (repository code) in a child process of
 * its own process group with a minimal environment — PATH, a HOME of its own
 * and what `env` adds, none of the backend's secrets — killed as a group when
 * it runs past `timeoutMs`.
 */
export function runServiceTests(
  dir: string,
  options: { timeoutMs?: number; env?: Record<string, string>; home: string },
): Promise<{
  passed: boolean;
  code: number | null;
  output: string;
  durationMs: number;
}> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = Date.now();
  return new Promise(resolve => {
    const child = spawn('npm', ['test', '--silent'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.home,
        CI: 'true',
        npm_config_update_notifier: 'false',
        npm_config_workspaces: 'false',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const append = (d: Buffer) => {
      // The tail is what explains a failure; keep memory bounded.
      output = (output + d.toString()).slice(-200_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      output += `\nTimed out after ${timeoutMs / 1000}s`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', error => {
      output += `\n${error.message}`;
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({
        passed: code === 0,
        code,
        output,
        durationMs: Date.now() - started,
      });
    });
  });
}
