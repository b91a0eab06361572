import { execFile } from 'child_process';

/** A git failure, with what git said. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly code: number | string | undefined,
    readonly stdout: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/**
 * Runs git with an argument array (never a shell) and returns its stdout.
 * No hooks or templates ever run, and neither the system's nor the user's
 * configuration is read: only `options.env` (e.g. `GIT_CONFIG_*`) adds any.
 * The one git runner of the backend plugins.
 */
export function git(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'init.templateDir=', ...args],
      {
        cwd: options.cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new GitError(
              `git ${args[0]} failed: ${
                String(stderr).trim() || error.message
              }`,
              error.code ?? undefined,
              String(stdout),
            ),
          );
        } else {
          resolve(String(stdout).trimEnd());
        }
      },
    );
  });
}

/**
 * `git push` to a repository on this machine runs `git receive-pack` in
 * that repository, with its configuration: this one runs no hooks there
 * either. A constant, never a user string (git runs it through sh).
 */
export const RECEIVE_PACK =
  '--receive-pack=git -c core.hooksPath=/dev/null receive-pack';

/** Author and committer variables for `git commit`. */
export function authorEnv(author: { name: string; email: string }) {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}
