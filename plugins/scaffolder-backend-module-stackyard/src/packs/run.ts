import { spawn } from 'child_process';

/**
 * Runs `command` with an argument array (never a shell) and resolves with its
 * stdout; rejects with the end of its output when it exits non-zero, is
 * killed, or outlives `timeoutMs`.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', data => {
      stdout += data;
      output += data;
    });
    child.stderr.on('data', data => {
      output += data;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(stdout);
        return;
      }
      const tail = output.trim().split('\n').slice(-20).join('\n');
      reject(
        new Error(
          `${[command, ...args].join(' ')} failed (${
            signal ?? `exit ${code}`
          }) in ${options.cwd}${tail ? `:\n${tail}` : ''}`,
        ),
      );
    });
  });
}

// Settings a user gives npm through the environment (registry, cache,
// proxies) apply to child npm processes too; those a parent `npm run` sets
// (its workspaces, prefix, lifecycle, the monorepo's .npmrc) must not.
const KEPT_NPM_SETTINGS =
  /^npm_config_(cache|registry|userconfig|globalconfig|https?_proxy|proxy|noproxy|strict_ssl|cafile|offline|prefer_offline|.*:registry)$/i;

/** The environment of a child process of this monorepo's tooling or npm. */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !(/^npm_/i.test(key) && !KEPT_NPM_SETTINGS.test(key)) &&
        key !== 'NODE_OPTIONS' &&
        key !== 'NODE_PATH' &&
        key !== 'NODE_TEST_CONTEXT',
    ),
  );
}
