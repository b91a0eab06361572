import { readdirSync, readFileSync, realpathSync, statSync } from 'fs';
import { join, relative, sep } from 'path';

/** Node's default test files (`node --test` without arguments), Node 20–22. */
const DEFAULT_TESTS =
  /(^|\/)(test\.[cm]?js|test-[^/]*\.[cm]?js|[^/]*[.\-_]test\.[cm]?js)$|(^|\/)test\/(.*\/)?[^/]*\.[cm]?js$/;

/** A token of a test script: a relative path or glob, nothing a shell would read. */
const PATTERN = /^[A-Za-z0-9_.*?@+-][A-Za-z0-9_./*?@+-]*$/;

/** Why a repository's tests cannot run sandboxed, or the files to run. */
export type TestFiles =
  | { files: string[]; script: string }
  | { unsupported: string };

/** Every file below `dir` (relative, `/`-separated), but node_modules and dot folders. */
function walk(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, base, out);
    else if (entry.isFile())
      out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** A glob (`*`, `?`, `**`) as a regular expression over relative paths. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * The test files a repository's `npm test` would run, read from its
 * package.json `scripts.test` (repository content: parsed as data, never
 * given to a shell). Only scripts that run Node's own test runner on files
 * of the repository run sandboxed: `node --test [files, folders or globs]`
 * and `node <file>`; any other script (another runner, shell syntax, other
 * flags) is reported as unsupported. Files resolve inside `dir` only.
 */
export function testFilesOf(dir: string): TestFiles {
  let script: unknown;
  try {
    script = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      ?.scripts?.test;
  } catch {
    return { unsupported: 'package.json cannot be read' };
  }
  if (typeof script !== 'string' || !script.trim()) {
    return { unsupported: 'package.json has no test script' };
  }
  const [command, ...args] = script.trim().split(/\s+/);
  const runner = args[0] === '--test';
  const patterns = runner ? args.slice(1) : args;
  const unsupported = {
    unsupported: `the test script ${JSON.stringify(
      script,
    )} is not one that runs sandboxed ("node --test [files]" or "node <file>")`,
  };
  if (
    command !== 'node' ||
    (!runner && patterns.length !== 1) ||
    patterns.some(
      p =>
        !PATTERN.test(p) ||
        p.split('/').includes('..') ||
        (!runner && /[*?]/.test(p)),
    )
  ) {
    return unsupported;
  }
  const root = realpathSync(dir);
  const all = walk(root);
  const files = new Set<string>();
  const add = (path: string) => {
    // A link leading out of the repository is not one of its tests.
    const real = realpathSync(join(root, path));
    const inside = relative(root, real);
    if (!inside.startsWith('..') && !inside.startsWith(sep)) files.add(real);
  };
  if (patterns.length === 0) {
    all.filter(f => DEFAULT_TESTS.test(f)).forEach(add);
  }
  for (const pattern of patterns) {
    const plain = pattern.replace(/\/+$/, '');
    if (/[*?]/.test(plain)) {
      const re = globRegExp(plain);
      all.filter(f => re.test(f)).forEach(add);
      continue;
    }
    let isDir = false;
    try {
      isDir = statSync(join(root, plain)).isDirectory();
    } catch {
      return {
        unsupported: `the test script names ${plain}, which is missing`,
      };
    }
    if (isDir && runner) {
      all
        .filter(f => f.startsWith(`${plain}/`) && DEFAULT_TESTS.test(f))
        .forEach(add);
    } else if (!isDir) {
      add(plain);
    } else {
      return unsupported;
    }
  }
  return { files: [...files].sort(), script };
}
