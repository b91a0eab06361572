// `npm start` / `npm run start:postgres`: `backstage-cli repo start` with
// every `--config` path resolved from the repository root. backstage-cli
// passes them on unchanged to packages/app and packages/backend, which
// resolve them from their own directories, so `--config app-config.yaml`
// would name packages/backend/app-config.yaml, which does not exist.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** `args` with the value of each `--config x` / `--config=x` made absolute. */
export function resolveConfigPaths(args, base) {
  const absolute = path => (isAbsolute(path) ? path : resolve(base, path));
  return args.map((arg, i) => {
    if (arg.startsWith('--config=')) {
      return `--config=${absolute(arg.slice('--config='.length))}`;
    }
    return args[i - 1] === '--config' ? absolute(arg) : arg;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = createRequire(import.meta.url).resolve(
    '@backstage/cli/bin/backstage-cli',
  );
  const child = spawn(
    process.execPath,
    [
      cli,
      'repo',
      'start',
      ...resolveConfigPaths(process.argv.slice(2), repoRoot),
    ],
    { stdio: 'inherit', cwd: repoRoot },
  );
  // The packages stackyard:publish:local packs into each repository it
  // publishes: packed now, in the background at low priority, so that the
  // first wizard run need not (a no-op when they are packed already).
  const pack = spawn(
    process.execPath,
    [fileURLToPath(new URL('pack-stackyard.mjs', import.meta.url))],
    { stdio: ['ignore', 'inherit', 'inherit'], cwd: repoRoot },
  );
  try {
    setPriority(pack.pid, 19);
  } catch {
    // Not allowed here: it packs at normal priority.
  }
  // A process manager may signal only this process: pass it on.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      child.kill(signal);
      pack.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    pack.kill();
    process.exit(code ?? (signal ? 1 : 0));
  });
}
