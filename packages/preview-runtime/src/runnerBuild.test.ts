import { spawn, spawnSync } from 'child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { buildRunner } from './runnerBuild';

jest.setTimeout(120_000);

// eslint-disable-next-line no-restricted-syntax
const packageRoot = resolve(__dirname, '..');
const cli = dirname(
  require.resolve('@backstage/cli/package.json', { paths: [packageRoot] }),
);
const sucraseRegister = require.resolve('sucrase/dist/register', {
  paths: [cli],
});

/** Runs `script` in a plain Node.js process (no sucrase) and returns its stdout. */
function nodeRun(script: string): string {
  const run = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('buildRunner', () => {
  let temp: string;

  beforeEach(() => {
    temp = realpathSync(mkdtempSync(join(tmpdir(), 'runner-build-test-')));
  });

  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  /**
   * A package of a runner importing a module of its own and a linked
   * workspace package's source (as the runner imports the guardrails').
   */
  function writePackage() {
    const root = join(temp, 'runtime');
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    file('package.json', '{"name":"@example/runtime"}');
    file(
      'src/runner/runnerMain.ts',
      [
        "import type { Unused } from './types';",
        "import { greeting } from './greeting';",
        "import { shout } from '@example/lib/sandbox';",
        'export const runPreviewRunner = (): string => shout(greeting);',
        'export type Seen = Unused;',
      ].join('\n'),
    );
    file('src/runner/types.ts', 'export type Unused = string;\n');
    file('src/runner/greeting.ts', "export const greeting: string = 'hi';\n");
    const lib = join(temp, 'lib');
    mkdirSync(join(lib, 'src'), { recursive: true });
    writeFileSync(
      join(lib, 'package.json'),
      '{"name":"@example/lib","exports":{"./sandbox":"./src/sandbox.ts"}}',
    );
    writeFileSync(
      join(lib, 'src', 'sandbox.ts'),
      'export const shout = (s: string): string => s?.toUpperCase();\n',
    );
    mkdirSync(join(root, 'node_modules', '@example'), { recursive: true });
    symlinkSync(lib, join(root, 'node_modules', '@example', 'lib'));
    // Where the build finds sucrase, as a checkout's package does.
    mkdirSync(join(root, 'node_modules', '@backstage'));
    symlinkSync(cli, join(root, 'node_modules', '@backstage', 'cli'));
    return { root, file };
  }

  it("compiles the runner's TypeScript once per state of its sources, to JavaScript Node.js loads alone", () => {
    const { root, file } = writePackage();
    const cacheDir = join(temp, 'cache');
    const first = buildRunner({ packageRoot: root, cacheDir });
    expect(first.main).toBe(
      join(first.dir, '@example+runtime/src/runner/runnerMain.js'),
    );
    const load = (main: string) =>
      nodeRun(
        `const m = require(${JSON.stringify(main)});
         const ts = Object.keys(require.cache).filter(k => !k.endsWith('.js'));
         console.log(m.runPreviewRunner(), JSON.stringify(ts));`,
      );
    expect(load(first.main)).toBe('HI []');
    // The linked package's source is compiled beside it and required relatively.
    expect(readFileSync(first.main, 'utf8')).toContain(
      "require('../../../@example+lib/src/sandbox')",
    );

    // Unchanged sources: the same build, not rewritten.
    writeFileSync(first.main, `${readFileSync(first.main, 'utf8')}// kept\n`);
    expect(buildRunner({ packageRoot: root, cacheDir })).toEqual(first);
    expect(readFileSync(first.main, 'utf8')).toMatch(/\/\/ kept\n$/);

    // A changed source file: a new build beside the first.
    file('src/runner/greeting.ts', "export const greeting: string = 'bye';\n");
    const second = buildRunner({ packageRoot: root, cacheDir });
    expect(second.dir).not.toBe(first.dir);
    expect(load(second.main)).toBe('BYE []');
    // So does a change in the linked package's source.
    writeFileSync(
      join(temp, 'lib', 'src', 'sandbox.ts'),
      'export const shout = (s: string): string => `${s}!`;\n',
    );
    const third = buildRunner({ packageRoot: root, cacheDir });
    expect(third.dir).not.toBe(second.dir);
    expect(load(third.main)).toBe('bye! []');
    expect(readdirSync(cacheDir).sort()).toEqual(
      [first.dir, second.dir, third.dir]
        .map(d => d.slice(cacheDir.length + 1))
        .sort(),
    );
  });

  it('fails on a runner import it cannot resolve', () => {
    const { root, file } = writePackage();
    file('src/runner/greeting.ts', "export { greeting } from './missing';\n");
    expect(() =>
      buildRunner({ packageRoot: root, cacheDir: join(temp, 'cache') }),
    ).toThrow(/cannot resolve \.\/missing/);
  });

  it('gives processes building the real runner at the same time one complete build', async () => {
    const cacheDir = join(temp, 'cache');
    const script = `
      require(${JSON.stringify(sucraseRegister)}).registerTS();
      const { buildRunner } = require(${JSON.stringify(
        join(packageRoot, 'src', 'runnerBuild.ts'),
      )});
      process.stdout.write('ready\\n');
      // All build at once, when the test says so.
      process.stdin.once('data', () => {
        const build = buildRunner({
          packageRoot: ${JSON.stringify(packageRoot)},
          cacheDir: ${JSON.stringify(cacheDir)},
        });
        process.stdout.write(JSON.stringify(build) + '\\n');
        process.exit(0);
      });`;
    const builders = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['-e', script], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const outputs = builders.map(child => {
      let out = '';
      child.stdout!.on('data', chunk => {
        out += chunk;
      });
      return {
        ready: new Promise<void>(resolveReady => {
          const check = () =>
            out.startsWith('ready\n') ? resolveReady() : undefined;
          child.stdout!.on('data', check);
        }),
        done: new Promise<string>((resolveDone, reject) =>
          child.once('exit', code =>
            code === 0
              ? resolveDone(out.split('\n')[1])
              : reject(new Error(`builder exited with ${code}`)),
          ),
        ),
      };
    });
    await Promise.all(outputs.map(o => o.ready));
    for (const child of builders) child.stdin!.end('go\n');
    const builds = (await Promise.all(outputs.map(o => o.done))).map(line =>
      JSON.parse(line),
    );

    expect(new Set(builds.map(b => b.dir)).size).toBe(1);
    // One build directory, no temporary one left behind.
    expect(readdirSync(cacheDir)).toEqual([
      builds[0].dir.slice(cacheDir.length + 1),
    ]);
    expect(
      nodeRun(
        `const m = require(${JSON.stringify(builds[0].main)});
         const notJs = Object.keys(require.cache).filter(k => !k.endsWith('.js'));
         const sucrase = Object.keys(require.cache).filter(k => k.includes('sucrase'));
         console.log(typeof m.runPreviewRunner, notJs.length, sucrase.length);`,
      ),
    ).toBe('function 0 0');
  });
});
