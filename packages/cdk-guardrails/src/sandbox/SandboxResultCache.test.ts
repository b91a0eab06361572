import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SandboxResultCache } from './SandboxResultCache';

describe('SandboxResultCache', () => {
  const root = mkdtempSync(join(tmpdir(), 'sandbox-result-cache-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => jest.useRealTimers());

  const job = { kind: 'synth', prefix: 'lg', stage: 'dev' };
  let n = 0;
  /** An app directory with a manifest and an extension module. */
  function app(): string {
    const dir = join(root, `app-${n++}`);
    mkdirSync(join(dir, 'infra'), { recursive: true });
    writeFileSync(join(dir, 'stackyard.yaml'), 'service: {}\n');
    writeFileSync(join(dir, 'infra/extend.js'), 'module.exports = () => {};');
    return dir;
  }

  it('keys by the bytes and relative paths of the files a sandbox would get, and by the job', () => {
    const dir = app();
    const key = SandboxResultCache.key(dir, job);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // Another directory with the same files: same key; key order does not matter.
    expect(
      SandboxResultCache.key(app(), {
        stage: 'dev',
        prefix: 'lg',
        kind: 'synth',
      }),
    ).toBe(key);

    writeFileSync(join(dir, 'infra/extend.js'), 'module.exports = () => {}; ');
    const changed = SandboxResultCache.key(dir, job);
    expect(changed).not.toBe(key);

    const moved = app();
    rmSync(join(moved, 'infra'), { recursive: true });
    mkdirSync(join(moved, 'lib'));
    writeFileSync(join(moved, 'lib/extend.js'), 'module.exports = () => {};');
    expect(SandboxResultCache.key(moved, job)).not.toBe(key);

    const other = SandboxResultCache.key(app(), job);
    expect(SandboxResultCache.key(app(), { ...job, prefix: 'lh' })).not.toBe(
      other,
    );
    expect(SandboxResultCache.key(app(), { ...job, stage: 'prod' })).not.toBe(
      other,
    );
    expect(
      SandboxResultCache.key(app(), { ...job, env: { region: 'eu-west-1' } }),
    ).not.toBe(other);
  });

  it('ignores what a sandbox does not get: top-level node_modules, .git, cdk.out and symbolic links', () => {
    const dir = app();
    const key = SandboxResultCache.key(dir, job);
    for (const skipped of ['node_modules', '.git', 'cdk.out']) {
      mkdirSync(join(dir, skipped));
      writeFileSync(join(dir, skipped, 'file'), 'x');
    }
    symlinkSync(join(dir, 'stackyard.yaml'), join(dir, 'link.yaml'));
    expect(SandboxResultCache.key(dir, job)).toBe(key);
    // The same names deeper down are copied.
    mkdirSync(join(dir, 'infra/node_modules'));
    writeFileSync(join(dir, 'infra/node_modules/file'), 'x');
    expect(SandboxResultCache.key(dir, job)).not.toBe(key);
  });

  it('hands out copies, and forgets answers past their age and beyond its size', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new SandboxResultCache({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', { templates: { s: 1 } });
    const hit = cache.get<{ templates: { s: number } }>('a')!;
    hit.value.templates.s = 2;
    jest.setSystemTime(1_000_400);
    expect(cache.get('a')).toEqual({
      value: { templates: { s: 1 } },
      ageMs: 400,
    });
    jest.setSystemTime(1_001_001);
    expect(cache.get('a')).toBeUndefined();

    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')?.value).toBe(1); // now the most recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.value).toBe(1);
    expect(cache.get('c')?.value).toBe(3);
  });
});
