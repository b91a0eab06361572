import { execFile } from 'child_process';

/** Runs git with an argument array (never a shell) and returns its stdout. */
export function git(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      // No hooks or templates of the rendered content ever run.
      ['-c', 'core.hooksPath=/dev/null', '-c', 'init.templateDir=', ...args],
      {
        cwd: options.cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          ...options.env,
        },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `git ${args[0]} failed: ${
                String(stderr).trim() || error.message
              }`,
            ),
          );
        } else {
          resolve(String(stdout).trim());
        }
      },
    );
  });
}
