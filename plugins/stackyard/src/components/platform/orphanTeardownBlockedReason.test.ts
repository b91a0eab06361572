import { orphanTeardownBlockedReason } from './orphanTeardownBlockedReason';

const allowed = { loading: false, allowed: true };

describe('orphanTeardownBlockedReason', () => {
  it('lets an admin tear down an unprotected orphan', () => {
    expect(
      orphanTeardownBlockedReason({ protected: false }, allowed),
    ).toBeUndefined();
  });

  it('says why a protected orphan refuses teardown, even for an admin', () => {
    expect(
      orphanTeardownBlockedReason(
        { protected: true, protectionReason: 'termination protection is on' },
        allowed,
      ),
    ).toBe('Protected: termination protection is on');
    expect(orphanTeardownBlockedReason({ protected: true }, allowed)).toBe(
      'Protected: this stack refuses teardown',
    );
  });

  it('blocks a stack that is already being deleted', () => {
    expect(
      orphanTeardownBlockedReason(
        { protected: false, stackStatus: 'DELETE_IN_PROGRESS' },
        allowed,
      ),
    ).toBe('This stack is already being deleted');
  });

  it('waits for the permission decision, then names who may', () => {
    expect(
      orphanTeardownBlockedReason(
        { protected: false },
        { loading: true, allowed: false },
      ),
    ).toBe('Checking your permissions…');
    expect(
      orphanTeardownBlockedReason(
        { protected: false },
        { loading: false, allowed: false },
      ),
    ).toBe(
      'Only members of the platform admin groups can tear down orphan stacks',
    );
  });
});
