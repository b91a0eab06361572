import { ciBranch, ciCommit } from './ciContext';

describe('ciContext', () => {
  it('reads the branch and commit of GitHub Actions, preferring the head of a pull request', () => {
    expect(ciBranch({ GITHUB_REF_NAME: 'feature/wo-42-x', GITHUB_SHA: 'abc' })).toBe('feature/wo-42-x');
    expect(ciBranch({ GITHUB_REF_NAME: '42/merge', GITHUB_HEAD_REF: 'feature/wo-42-x' })).toBe('feature/wo-42-x');
    expect(ciCommit({ GITHUB_SHA: 'abc123' })).toBe('abc123');
  });

  it("reads GitLab CI's variables", () => {
    expect(ciBranch({ CI_COMMIT_REF_NAME: 'main' })).toBe('main');
    expect(ciCommit({ CI_COMMIT_SHA: 'def456' })).toBe('def456');
  });

  it('ignores empty values and says nothing outside CI', () => {
    expect(ciBranch({ GITHUB_HEAD_REF: '', GITHUB_REF_NAME: ' ' })).toBeUndefined();
    expect(ciCommit({})).toBeUndefined();
  });
});
