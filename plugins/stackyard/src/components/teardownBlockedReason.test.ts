import { teardownBlockedReason } from './teardownBlockedReason';

const env = {
  protected: false,
  status: 'ready' as const,
  protectionReason: undefined,
  activeOperationId: undefined,
};
const allowed = { loading: false, allowed: true };

describe('teardownBlockedReason', () => {
  it('allows teardown of an unprotected environment to a permitted user', () => {
    expect(teardownBlockedReason(env, allowed)).toBeUndefined();
  });

  it('gives the protection reason first', () => {
    expect(
      teardownBlockedReason(
        {
          ...env,
          protected: true,
          protectionReason: 'stage "prod" is protected',
        },
        { loading: false, allowed: false },
      ),
    ).toBe('Protected: stage "prod" is protected');
  });

  it('refuses while an operation runs', () => {
    expect(
      teardownBlockedReason({ ...env, activeOperationId: 'op-1' }, allowed),
    ).toMatch(/in progress/);
  });

  it('explains a missing permission', () => {
    expect(
      teardownBlockedReason(env, { loading: false, allowed: false }),
    ).toMatch(/not allowed/);
    expect(
      teardownBlockedReason(env, { loading: true, allowed: false }),
    ).toMatch(/Checking/);
  });
});
