import { execFileSync } from 'node:child_process';

/** git with an argument array, hooks off, reading the test's repositories. */
export function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}
