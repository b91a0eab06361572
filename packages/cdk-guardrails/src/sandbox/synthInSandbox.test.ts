import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { formatFinding } from '../policy/evaluateTemplate';
import { synthService } from '../synth/synthService';
import { ExtensionError } from '../manifest/ExtensionError';
import { SandboxPool } from './SandboxPool';
import { SandboxResultCache } from './SandboxResultCache';
import { synthInSandbox } from './synthInSandbox';

jest.setTimeout(180_000);

const extendedDir = join(__dirname, '../../fixtures/extended-service');

describe('synthInSandbox', () => {
  const root = mkdtempSync(join(tmpdir(), 'synth-in-sandbox-test-'));
  const pool = SandboxPool.create({ tmpRoot: root });
  afterAll(async () => {
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers what in-process synthesis answers, with the policy run here over the sandbox's templates", async () => {
    const [sandboxed, inProcess] = await Promise.all([
      synthInSandbox(pool, { appDir: extendedDir, prefix: 'lg', stage: 'dev' }),
      synthService({ appDir: extendedDir, prefix: 'lg', stage: 'dev' }),
    ]);
    expect(sandboxed.stackName).toBe('lg-dev');
    expect(sandboxed.templates).toEqual(inProcess.templates);
    expect(sandboxed.stacks).toEqual(inProcess.stacks);
    expect(sandboxed.findings.map(formatFinding)).toEqual(
      inProcess.findings.map(formatFinding),
    );
    expect(sandboxed.findings.map(formatFinding)).toEqual([
      expect.stringMatching(/^SY-SQS-DLQ lg-dev\/RawQueue\/Resource: /),
    ]);
    expect(sandboxed.ok).toBe(false);
  });

  it('copies the cloud assembly out when asked, so it can be deployed without running the extension again', async () => {
    const assemblyDir = join(root, 'assembly');
    const result = await synthInSandbox(pool, {
      appDir: extendedDir,
      prefix: 'lg',
      stage: 'dev',
      env: { account: '123456789012', region: 'eu-west-1' },
      assemblyDir,
    });
    const manifest = JSON.parse(
      readFileSync(join(assemblyDir, 'manifest.json'), 'utf8'),
    );
    expect(manifest.artifacts['lg-dev'].environment).toBe(
      'aws://123456789012/eu-west-1',
    );
    const template = JSON.parse(
      readFileSync(join(assemblyDir, 'lg-dev.template.json'), 'utf8'),
    );
    expect(template.Resources).toEqual(
      (result.templates['lg-dev'] as { Resources: unknown }).Resources,
    );
  });

  it('reuses the answer for the same files, prefix, stage and environment, and judges it again', async () => {
    const dir = join(root, 'cached');
    cpSync(extendedDir, dir, { recursive: true });
    const cache = new SandboxResultCache();
    const jobs = jest.spyOn(pool, 'run');
    try {
      const base = { appDir: dir, prefix: 'lg', stage: 'dev', cache };
      const first = await synthInSandbox(pool, base);
      expect(jobs).toHaveBeenCalledTimes(1);
      expect(first.reusedAfterMs).toBeUndefined();

      const again = await synthInSandbox(pool, base);
      expect(jobs).toHaveBeenCalledTimes(1);
      expect(again.reusedAfterMs).toBeGreaterThanOrEqual(0);
      expect(again.templates).toEqual(first.templates);
      // The policy ran again over the reused templates.
      expect(again.findings.map(formatFinding)).toEqual([
        expect.stringMatching(/^SY-SQS-DLQ lg-dev\/RawQueue\/Resource: /),
      ]);
      expect(
        (await synthInSandbox(pool, { ...base, packs: [] })).findings,
      ).toEqual([]);
      expect(jobs).toHaveBeenCalledTimes(1);

      await synthInSandbox(pool, { ...base, prefix: 'lh' });
      expect(jobs).toHaveBeenCalledTimes(2);
      await synthInSandbox(pool, { ...base, stage: 'preview' });
      expect(jobs).toHaveBeenCalledTimes(3);
      const source = readFileSync(join(dir, 'infra/extend.js'), 'utf8');
      writeFileSync(join(dir, 'infra/extend.js'), `${source} `);
      const edited = await synthInSandbox(pool, base);
      expect(jobs).toHaveBeenCalledTimes(4);
      expect(edited.reusedAfterMs).toBeUndefined();
    } finally {
      jobs.mockRestore();
    }
  });

  it('reports a failing extension as an ExtensionError naming the manifest here', async () => {
    const dir = join(root, 'bad');
    cpSync(extendedDir, dir, { recursive: true });
    writeFileSync(
      join(dir, 'infra/extend.js'),
      'module.exports = () => { throw new TypeError("x is undefined\\n  at secret"); };',
    );
    const error = await synthInSandbox(pool, {
      appDir: dir,
      prefix: 'lg',
      stage: 'dev',
    }).catch(e => e);
    expect(error).toBeInstanceOf(ExtensionError);
    expect(error.message).toBe(
      `service extension "infra/extend.js" (declared in ${join(
        dir,
        'stackyard.yaml',
      )}): failed: x is undefined`,
    );
    expect(existsSync(join(dir, 'cdk.out'))).toBe(false);
  });
});
