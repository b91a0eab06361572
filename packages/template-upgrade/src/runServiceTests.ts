import { spawn } from 'child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'fs';
import { dirname, join, relative } from 'path';
import {
  findPackage,
  packageClosure,
  permissionFlags,
} from '@stackyard/cdk-guardrails/sandbox';
import { testFilesOf } from './testFiles';

/** Where the service's dependencies resolve when it has no node_modules of its own. */
export function defaultTestEnv(): Record<string, string> {
  try {
    // The node_modules holding the CDK the engine itself uses.
    return {
      NODE_PATH: dirname(dirname(require.resolve('aws-cdk-lib/package.json'))),
    };
  } catch {
    // The service brings its own node_modules.
    return {};
  }
}

/** What one run of a service's tests ended with. */
export interface ServiceTestsResult {
  /** Every test file passed; null when they could not run sandboxed (`output` says why). */
  passed: boolean | null;
  /** The exit code of the first file that failed (null: killed, or not run). */
  code: number | null;
  output: string;
  durationMs: number;
  /** The files run, relative to the repository. */
  files: string[];
}

/** The folder of the package `file` belongs to (real path). */
function packageRootOf(file: string): string {
  let dir = dirname(realpathSync(file));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
}

/**
 * The code a test process may read besides the repository: the packages
 * the service depends on (found in its node_modules or `NODE_PATH`) and
 * what they depend on, and the sandbox's own preload, with TypeScript
 * compiled by sucrase when the Stackyard packages run from source (the
 * permission model refuses native addons, so the usual transform cannot
 * load).
 */
function readableCode(
  dir: string,
  nodePath: string[],
): {
  read: string[];
  preload: string;
} {
  let names: string[] = [];
  try {
    const manifest = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    );
    names = Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
    });
  } catch {
    // no dependencies to read
  }
  const read = new Set<string>();
  for (const name of names) {
    for (const from of [dir, ...nodePath.map(p => dirname(p))]) {
      const found = findPackage(name, from);
      if (!found) continue;
      // The link a workspace package is found through must be readable too.
      read.add(found);
      packageClosure([name], from).forEach(p => read.add(p));
      break;
    }
  }
  const sandboxEntry = require.resolve('@stackyard/cdk-guardrails/sandbox');
  read.add(packageRootOf(sandboxEntry));
  let register: string | undefined;
  if (/\.ts$/.test(sandboxEntry)) {
    const cli = dirname(require.resolve('@backstage/cli/package.json'));
    register = require.resolve('sucrase/dist/register', { paths: [cli] });
    read.add(join(cli, 'package.json'));
    packageClosure(['sucrase'], cli).forEach(p => read.add(p));
  }
  const preload = [
    "'use strict';",
    '// Runs before the test file: refuses to go on unless the permission',
    '// model is in effect as asked, then closes what it leaves open.',
    ...(register ? [`require(${JSON.stringify(register)}).registerTS();`] : []),
    `const sandbox = require(${JSON.stringify(sandboxEntry)});`,
    'const problem = sandbox.permissionProblem(process.env.TMPDIR);',
    'if (problem) {',
    "  process.stderr.write('test sandbox: ' + problem + '\\n');",
    '  process.exit(70);',
    '}',
    'sandbox.lockDown();',
    '',
  ].join('\n');
  return { read: [...read], preload };
}

/** Runs one file; resolves with its exit code (null when killed). */
function runFile(
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    append: (chunk: Buffer | string) => void;
    deadline: number;
  },
): Promise<number | null> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', options.append);
    child.stderr.on('data', options.append);
    const timer = setTimeout(() => {
      options.append('\nTimed out\n');
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, Math.max(0, options.deadline - Date.now()));
    child.on('error', error => options.append(`\n${error.message}\n`));
    child.on('close', code => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * Runs the service's own tests (repository code) sandboxed: the files its
 * `npm test` script names (`node --test [files]` or `node <file>`, see
 * {@link testFilesOf}) each in a Node process under the permission model
 * — reading only the repository, the packages it depends on and the
 * sandbox's preload, writing only `sandboxDir` (its HOME and TMPDIR), no
 * child processes, workers or native addons — with the network, signals
 * and DNS locked down before the file runs, an environment of nothing but
 * PATH, HOME, TMPDIR, CI and what `env` adds, in a process group of its own
 * killed when the run passes `timeoutMs` in all. One process per file, as
 * `node --test` does; the runner itself is not used, as it needs child
 * processes, and on Node 20 those inherit `--allow-child-process`.
 */
export async function runServiceTests(
  dir: string,
  options: {
    timeoutMs?: number;
    env?: Record<string, string>;
    /** The only folder the tests may write (made here). */
    sandboxDir: string;
  },
): Promise<ServiceTestsResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 300_000);
  const root = realpathSync(dir);
  const notRun = (why: string): ServiceTestsResult => ({
    passed: null,
    code: null,
    output: `Not run: ${why}`,
    durationMs: Date.now() - started,
    files: [],
  });
  const tests = testFilesOf(root);
  if ('unsupported' in tests) return notRun(tests.unsupported);
  if (tests.files.length === 0) return notRun('the test script names no files');
  mkdirSync(join(options.sandboxDir, 'home'), { recursive: true });
  mkdirSync(join(options.sandboxDir, 'tmp'), { recursive: true });
  const sandboxDir = realpathSync(options.sandboxDir);
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: join(sandboxDir, 'home'),
    TMPDIR: join(sandboxDir, 'tmp'),
    CI: 'true',
    ...options.env,
  };
  const nodePath = (env.NODE_PATH ?? '').split(':').filter(Boolean);
  const code = readableCode(root, nodePath);
  // Beside the writable folder, not in it: the tests cannot change it.
  const preloadDir = `${sandboxDir}-preload`;
  mkdirSync(preloadDir, { recursive: true });
  const preload = join(preloadDir, 'preload.cjs');
  writeFileSync(preload, code.preload);
  const flags = permissionFlags({
    read: [root, preloadDir, ...code.read],
    write: [sandboxDir],
  });
  if (!flags) {
    return notRun(
      `this Node.js (${process.version}) has no permission model to run them in`,
    );
  }
  let output = '';
  const append = (d: Buffer | string) => {
    // The tail is what explains a failure; keep memory bounded.
    output = (output + d.toString()).slice(-200_000);
  };
  const files = tests.files.map(f => relative(root, f));
  let failedCode: number | null | undefined;
  for (const [i, file] of tests.files.entries()) {
    if (Date.now() >= deadline) {
      append(`\nTimed out after ${(options.timeoutMs ?? 300_000) / 1000}s\n`);
      failedCode = null;
      break;
    }
    append(`# ${files[i]}\n`);
    const exit = await runFile(
      [...flags, '--no-warnings', '--require', preload, file],
      { cwd: root, env, append, deadline },
    );
    if (exit !== 0 && failedCode === undefined) failedCode = exit;
  }
  return {
    passed: failedCode === undefined,
    code: failedCode === undefined ? 0 : failedCode,
    output,
    durationMs: Date.now() - started,
    files,
  };
}
