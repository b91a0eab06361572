import { readFileSync, realpathSync, rmSync } from 'fs';
import { dirname, join, resolve, sep } from 'path';
import { serverlessFixture } from './__testUtils__/serverlessFixture';
import { startPreview } from './startPreview';
import type { RunningPreview } from './types';

jest.setTimeout(90_000);

let mockSourceEntry: 'precompiled' | 'sucrase' = 'precompiled';
jest.mock('./sandbox/runnerAccess', () => {
  const actual = jest.requireActual('./sandbox/runnerAccess');
  return {
    ...actual,
    runnerCode: () => actual.runnerCode({ sourceEntry: mockSourceEntry }),
  };
});

// eslint-disable-next-line no-restricted-syntax
const packageRoot = realpathSync(resolve(__dirname, '..'));
const buildCache = join(
  packageRoot,
  'node_modules',
  '.cache',
  'stackyard-preview-runner',
);
const sucrasePackage = join(
  dirname(
    require.resolve('sucrase/package.json', {
      paths: [
        dirname(
          require.resolve('@backstage/cli/package.json', {
            paths: [packageRoot],
          }),
        ),
      ],
    }),
  ),
  'package.json',
);

describe('the runner entry of a checkout (real runners)', () => {
  let fixture: Awaited<ReturnType<typeof serverlessFixture>>;
  let preview: RunningPreview | undefined;

  beforeAll(async () => {
    fixture = await serverlessFixture();
  });

  afterEach(async () => {
    await preview?.stop();
    preview = undefined;
  });

  afterAll(() => rmSync(fixture.root, { recursive: true, force: true }));

  const start = async (entry: 'precompiled' | 'sucrase') => {
    mockSourceEntry = entry;
    preview = await startPreview({
      checkoutDir: fixture.checkoutDir,
      template: fixture.template,
      manifest: fixture.manifest,
      workDir: join(fixture.root, `work-${entry}`),
    });
    const modules = await preview.invoke('probe', { action: 'modules' });
    if (!modules.ok) throw new Error(JSON.stringify(modules.error));
    return { preview, modules: modules.result as string[] };
  };

  it('loads the precompiled runner: JavaScript from the build cache, no sucrase, no TypeScript', async () => {
    const { preview: running, modules } = await start('precompiled');
    const runnerMain = modules.filter(m => m.endsWith(`${sep}runnerMain.js`));
    expect(runnerMain).toHaveLength(1);
    expect(runnerMain[0].startsWith(`${buildCache}${sep}`)).toBe(true);
    expect(modules.filter(m => m.includes(`${sep}sucrase${sep}`))).toEqual([]);
    expect(modules.filter(m => m.endsWith('.ts'))).toEqual([]);
    // Nor may it read sucrase any more: the sandbox gives it what it loads.
    const read = await running.invoke('probe', {
      action: 'read',
      path: sucrasePackage,
    });
    expect(read).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('restricted') },
    });
    const echo = await running.invoke('probe', { action: 'echo', n: 1 });
    expect(echo).toMatchObject({ ok: true, result: { echo: { n: 1 } } });
  });

  it('collects garbage once the runner is idle after work, with no collector for handler code', async () => {
    const { preview: running } = await start('precompiled');
    const watch = await running.invoke('probe', {
      action: 'watch-collections',
    });
    expect(watch).toMatchObject({
      ok: true,
      result: { gcGlobal: 'undefined', gcInNewContext: 'undefined' },
    });
    // Quiet now: the runner collects after a few seconds (a forced
    // collection, which V8 never schedules on its own).
    let forced = 0;
    for (let i = 0; i < 60 && forced === 0; i++) {
      await new Promise(r => setTimeout(r, 1000));
      const seen = await running.invoke('probe', { action: 'collections' });
      if (!seen.ok) throw new Error(JSON.stringify(seen.error));
      forced = seen.result as number;
    }
    expect(forced).toBeGreaterThan(0);
  });

  it('runs the runner with one malloc arena, a setting handler code does not see', async () => {
    const { preview: running } = await start('precompiled');
    const environ = readFileSync(`/proc/${running.pid}/environ`, 'utf8');
    expect(environ.split('\0')).toContain('MALLOC_ARENA_MAX=1');
    const env = await running.invoke('probe', { action: 'env' });
    expect(env.ok).toBe(true);
    expect(
      (env as { result: { env: Record<string, string> } }).result.env,
    ).not.toHaveProperty('MALLOC_ARENA_MAX');
  });

  it('still runs with the runner compiling its own TypeScript (the fallback when the build cannot be written)', async () => {
    const { modules } = await start('sucrase');
    expect(
      modules.filter(m => m.endsWith(join('src', 'runner', 'runnerMain.ts'))),
    ).toHaveLength(1);
    expect(modules.some(m => m.includes(`${sep}sucrase${sep}`))).toBe(true);
    expect(modules.some(m => m.startsWith(buildCache))).toBe(false);
  });
});
