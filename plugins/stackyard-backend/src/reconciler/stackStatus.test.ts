import { environmentStatusOf } from './stackStatus';

describe('environmentStatusOf', () => {
  it.each([
    ['CREATE_COMPLETE', 'ready'],
    ['UPDATE_COMPLETE', 'ready'],
    ['IMPORT_COMPLETE', 'ready'],
    ['CREATE_IN_PROGRESS', 'deploying'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'deploying'],
    ['REVIEW_IN_PROGRESS', 'deploying'],
    ['ROLLBACK_COMPLETE', 'failed'],
    ['UPDATE_ROLLBACK_COMPLETE', 'failed'],
    ['CREATE_FAILED', 'failed'],
    ['DELETE_FAILED', 'failed'],
    ['DELETE_IN_PROGRESS', 'deleting'],
    ['DELETE_COMPLETE', 'deleted'],
  ])('maps %s to %s', (stackStatus, status) => {
    expect(environmentStatusOf(stackStatus)).toBe(status);
  });
});
