import { resolvePrefix, resolvePrefixWithSource } from './resolvePrefix';
import { StackyardNameError } from './errors';
import { stackNameFor } from './stackName';

describe('resolvePrefix', () => {
  it.each([
    ['main', 'wo', 'wo-dev'],
    ['feature/wo-42-add-retries', 'wo-42', 'wo-42-dev'],
    ['bug/wo-7-fix-timeout', 'wo-7', 'wo-7-dev'],
    ['hotfix/wo-99-critical-patch', 'wo-99', 'wo-99-dev'],
  ])('holds the seed table: %s → %s (%s)', (branch, prefix, stackName) => {
    expect(resolvePrefix({ branch, project: 'wo' })).toBe(prefix);
    expect(stackNameFor(resolvePrefix({ branch, project: 'wo' }), 'dev')).toBe(
      stackName,
    );
  });

  it.each([
    'develop',
    'release/wo-42-x',
    'feature/add-retries',
    'feature/xy-42-other-project',
    'feature/wo-',
    'feature/wo-abc',
  ])('gives other branches the bare project code: %s', branch => {
    expect(resolvePrefixWithSource({ branch, project: 'wo' })).toEqual({
      prefix: 'wo',
      source: 'project',
    });
  });

  it('accepts a ticket without a description and a refs/heads/ branch', () => {
    expect(resolvePrefix({ branch: 'feature/wo-42', project: 'wo' })).toBe(
      'wo-42',
    );
    expect(
      resolvePrefix({ branch: 'refs/heads/bug/wo-8-x', project: 'wo' }),
    ).toBe('wo-8');
  });

  it('lets the project code and isolated branch types be configured', () => {
    expect(
      resolvePrefix({
        branch: 'spike/pm-3-try',
        project: 'pm',
        isolatedBranchTypes: ['spike'],
      }),
    ).toBe('pm-3');
    expect(
      resolvePrefix({
        branch: 'feature/pm-3-try',
        project: 'pm',
        isolatedBranchTypes: ['spike'],
      }),
    ).toBe('pm');
  });

  it('lets an explicit override win, and validates it', () => {
    expect(
      resolvePrefixWithSource({
        branch: 'feature/wo-42-x',
        project: 'wo',
        override: 'wo-99',
      }),
    ).toEqual({ prefix: 'wo-99', source: 'override' });
    expect(resolvePrefix({ branch: 'main', project: 'wo', override: ' ' })).toBe(
      'wo',
    );
    expect(() =>
      resolvePrefix({ project: 'wo', override: 'wo 99; rm -rf /' }),
    ).toThrow(/override "wo 99; rm -rf \/" is not allowed: it must start/);
  });

  it.each([
    ['spaces', 'feature/wo-42 add retries'],
    ['dot-dot', 'feature/wo-42-../../etc'],
    ['semicolon', 'feature/wo-42;rm -rf /'],
    ['unicode', 'feature/wo-42-ünïcødé'],
    ['300 characters', `feature/wo-42-${'x'.repeat(300)}`],
    ['leading digits', '42-feature/wo-42'],
    ['backticks', 'feature/`touch /tmp/pwned`'],
    ['newline', 'feature/wo-42\nx'],
    ['empty', ''],
  ])('gives a safe prefix for a hostile branch (%s)', (_, branch) => {
    const prefix = resolvePrefix({ branch, project: 'wo' });
    expect(prefix).toMatch(/^wo(-\d+)?$/);
    expect(() => stackNameFor(prefix, 'dev')).not.toThrow();
  });

  it('keeps only the ticket from a branch with a suffix of dots', () => {
    expect(resolvePrefix({ branch: 'feature/wo-42-..', project: 'wo' })).toBe(
      'wo-42',
    );
  });

  it('rejects invalid project codes and branch types with the bad value', () => {
    expect(() => resolvePrefix({ branch: 'main', project: '9wo' })).toThrow(
      StackyardNameError,
    );
    expect(() => resolvePrefix({ branch: 'main', project: '9wo' })).toThrow(
      /project code "9wo" is not allowed/,
    );
    expect(() =>
      resolvePrefix({
        branch: 'main',
        project: 'wo',
        isolatedBranchTypes: ['feat(ure)'],
      }),
    ).toThrow(/branch type "feat\(ure\)" is not allowed/);
  });
});
