import { findPackage } from '@stackyard/cdk-guardrails/sandbox';
import { realpathSync } from 'fs';
import { dirname, join, resolve, sep } from 'path';
import { buildRunner } from '../runnerBuild';
import { runnerCode } from './runnerAccess';

jest.mock('../runnerBuild', () => ({
  buildRunner: jest.fn(jest.requireActual('../runnerBuild').buildRunner),
}));

// eslint-disable-next-line no-restricted-syntax
const root = realpathSync(resolve(__dirname, '../..'));
const guardrails = realpathSync(
  findPackage('@stackyard/cdk-guardrails', root)!,
);
const sucrase = realpathSync(
  dirname(
    require.resolve('sucrase/package.json', {
      paths: [
        dirname(
          require.resolve('@backstage/cli/package.json', { paths: [root] }),
        ),
      ],
    }),
  ),
);
const covers = (read: string[], path: string) =>
  read.some(dir => path === dir || path.startsWith(`${dir}${sep}`));

describe('runnerCode (a checkout)', () => {
  it('has the runner load its precompiled build, and read neither sucrase nor the guardrails', () => {
    const code = runnerCode();
    expect(code.entry).toBe(join(root, 'bin', 'preview-runner.js'));
    expect(code.args).toHaveLength(1);
    expect(
      code.args[0].startsWith(
        join(root, 'node_modules', '.cache', 'stackyard-preview-runner', ''),
      ),
    ).toBe(true);
    expect(covers(code.read, code.args[0])).toBe(true);
    expect(covers(code.read, sucrase)).toBe(false);
    expect(covers(code.read, guardrails)).toBe(false);
  });

  it('with the sucrase entry, lets the runner read sucrase and the guardrails it compiles', () => {
    const code = runnerCode({ sourceEntry: 'sucrase' });
    expect(code.args).toEqual([]);
    expect(covers(code.read, sucrase)).toBe(true);
    expect(covers(code.read, join(guardrails, 'src', 'sandbox'))).toBe(true);
  });

  it('falls back to the sucrase entry, with a warning, when the build cannot be written', () => {
    const warn = jest
      .spyOn(process, 'emitWarning')
      .mockImplementation(() => undefined);
    try {
      const failing = () => {
        throw new Error('EROFS: read-only file system');
      };
      jest
        .mocked(buildRunner)
        .mockImplementationOnce(failing)
        .mockImplementationOnce(failing);
      const code = runnerCode();
      expect(code.args).toEqual([]);
      expect(covers(code.read, sucrase)).toBe(true);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('EROFS: read-only file system'),
        { code: 'STACKYARD_PREVIEW_RUNNER_BUILD' },
      );
      // Once per reason, not at every preview's start.
      runnerCode();
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
