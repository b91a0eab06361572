/* eslint-disable @typescript-eslint/no-require-imports */
import { findPackage } from '@stackyard/cdk-guardrails/sandbox';
import { createHash, randomBytes } from 'crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { isBuiltin } from 'module';
import { dirname, join, relative, sep } from 'path';

/**
 * Changes when what this module writes changes, so that older builds are not
 * taken for current ones.
 */
const BUILD_FORMAT = 'stackyard-preview-runner/1';

/** Other builds older than this are removed when a new one is written. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/** The runner's precompiled modules. */
export interface RunnerBuild {
  /** The directory of this build (under the cache directory). */
  readonly dir: string;
  /** The compiled `src/runner/runnerMain.ts`, what the entry script loads. */
  readonly main: string;
}

/** A source file of the runner and what it imports. */
interface SourceFile {
  readonly path: string;
  readonly text: string;
  /** Where the build puts its JavaScript, relative to the build directory. */
  readonly output: string;
  /** Specifiers of linked (workspace) packages' sources → their source file. */
  readonly linked: Map<string, string>;
}

// Import and export declarations (not `import type`/`export type`: they load
// nothing), side-effect imports and require calls with a literal specifier.
const SPECIFIERS =
  /\b(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(SPECIFIERS)) {
    if (m[1]) continue;
    found.push((m[2] ?? m[3] ?? m[4])!);
  }
  return found;
}

function packageRootOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`${file} is in no package directory`);
  }
}

function packageNameOf(root: string): string {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
}

function resolveRelative(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/**
 * The source file of a linked package's specifier (`@stackyard/cdk-guardrails/sandbox`
 * → its `src/sandbox/index.ts`), or undefined for what Node resolves at run
 * time: built-in modules and installed packages (dynalite, the SDK).
 */
function resolveLinked(from: string, specifier: string): string | undefined {
  if (isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@')
    ? parts.slice(0, 2).join('/')
    : parts[0];
  const found = findPackage(name, dirname(from));
  if (!found) return undefined;
  const root = realpathSync(found);
  if (root.split(sep).includes('node_modules')) return undefined;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const subpath = `.${specifier.slice(name.length)}`;
  const target =
    typeof manifest.exports === 'object'
      ? manifest.exports[subpath]
      : subpath === '.' && manifest.main;
  if (typeof target !== 'string' || !target.endsWith('.ts'))
    throw new Error(`cannot resolve ${specifier} to a source file of ${root}`);
  return join(root, target);
}

/** The runner's source files: `runnerMain.ts` and all it loads from sources. */
function runnerSources(main: string): SourceFile[] {
  const files = new Map<string, SourceFile>();
  const visit = (path: string) => {
    if (files.has(path)) return;
    const text = readFileSync(path, 'utf8');
    const root = packageRootOf(path);
    const file: SourceFile = {
      path,
      text,
      output: join(
        packageNameOf(root).replace('/', '+'),
        relative(root, path).replace(/\.ts$/, '.js'),
      ),
      linked: new Map(),
    };
    files.set(path, file);
    for (const specifier of specifiersOf(text)) {
      if (specifier.startsWith('.')) {
        visit(resolveRelative(path, specifier));
        continue;
      }
      const source = resolveLinked(path, specifier);
      if (source) {
        file.linked.set(specifier, source);
        visit(source);
      }
    }
  };
  visit(main);
  return [...files.values()];
}

function sucraseDir(packageRoot: string): string {
  // A dev dependency of @backstage/cli, which a checkout has.
  const cli = dirname(
    require.resolve('@backstage/cli/package.json', { paths: [packageRoot] }),
  );
  return dirname(require.resolve('sucrase/package.json', { paths: [cli] }));
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The JavaScript of one file, its linked packages' specifiers made relative. */
function compile(
  file: SourceFile,
  outputs: ReadonlyMap<string, string>,
  transform: (code: string, options: object) => { code: string },
): string {
  let { code } = transform(file.text, {
    transforms: ['imports', 'typescript'],
    // Optional chaining and the like as they are: Node.js runs them.
    disableESTransforms: true,
    filePath: file.path,
  });
  for (const [specifier, source] of file.linked) {
    let target = toPosix(
      relative(dirname(file.output), outputs.get(source)!),
    ).replace(/\.js$/, '');
    if (!target.startsWith('.')) target = `./${target}`;
    code = code
      .split(`require('${specifier}')`)
      .join(`require('${target}')`)
      .split(`require("${specifier}")`)
      .join(`require("${target}")`);
  }
  // A missed import would load TypeScript the runner cannot compile.
  for (const m of code.matchAll(/\brequire\(['"]([^'"]+)['"]\)/g)) {
    const specifier = m[1];
    if (!specifier.startsWith('.') && resolveLinked(file.path, specifier))
      throw new Error(`${file.path}: ${specifier} was not compiled`);
  }
  return code;
}

function removeOldBuilds(cacheDir: string, current: string) {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    try {
      if (path !== current && now - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS)
        rmSync(path, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/**
 * Compiles the preview runner's TypeScript (`src/runner/runnerMain.ts` and
 * the modules it loads, the guardrails' sandbox pieces included) to plain
 * CommonJS in `cacheDir/<hash>/`, the hash that of the sources, sucrase's
 * version and this build's format: once per state of the sources, so that
 * the runner process loads JavaScript only, without sucrase (about 4 MiB
 * less resident memory, see README). A build is written to a directory of
 * its own and renamed into place, so a build directory that exists is
 * complete, and processes building at the same time all end with the same one.
 * @throws Error when the sources cannot be read, compiled or written.
 */
export function buildRunner(options: {
  /** The preview-runtime package directory of a checkout. */
  packageRoot: string;
  cacheDir: string;
}): RunnerBuild {
  const main = join(options.packageRoot, 'src', 'runner', 'runnerMain.ts');
  const files = runnerSources(main);
  const sucrase = sucraseDir(options.packageRoot);
  const hash = createHash('sha256').update(BUILD_FORMAT);
  hash.update(
    `\0${
      JSON.parse(readFileSync(join(sucrase, 'package.json'), 'utf8')).version
    }`,
  );
  for (const file of [...files].sort((a, b) => (a.output < b.output ? -1 : 1)))
    hash.update(`\0${file.output}\0${file.text}`);
  const dir = join(options.cacheDir, hash.digest('hex').slice(0, 24));
  const build = { dir, main: join(dir, files[0].output) };
  if (existsSync(dir)) return build;

  const { transform } = require(sucrase);
  const outputs = new Map(files.map(f => [f.path, f.output]));
  mkdirSync(options.cacheDir, { recursive: true });
  const temp = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    for (const file of files) {
      mkdirSync(join(temp, dirname(file.output)), { recursive: true });
      writeFileSync(join(temp, file.output), compile(file, outputs, transform));
    }
    // Ends Node's look-up of the package scope here (Node 22's permission
    // model checks the reads of the package.json files it looks for).
    writeFileSync(join(temp, 'package.json'), '{"type":"commonjs"}\n');
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another process renamed the same build into place first.
      if (!existsSync(dir)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  removeOldBuilds(options.cacheDir, dir);
  return build;
}
