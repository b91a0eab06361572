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
