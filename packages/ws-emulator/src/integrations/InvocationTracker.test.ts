import { InvocationTracker } from './InvocationTracker';

describe('InvocationTracker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports entries past their deadline and stops its timer when empty', () => {
    const expired: string[] = [];
    const tracker = new InvocationTracker(10, fail => fail(new Error('late')));
    const a = jest.fn((e: Error) => {
      expired.push(`a:${e.message}`);
      tracker.delete(a);
    });
    const b = jest.fn();
    tracker.add(a, Date.now() + 25);
    tracker.add(b, Date.now() + 1000);
    jest.advanceTimersByTime(20);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(10);
    expect(expired).toEqual(['a:late']);
    expect(tracker.size).toBe(1);
    tracker.delete(b);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails everything on failAll', () => {
    const tracker = new InvocationTracker(10, () => {});
    const a = jest.fn();
    const b = jest.fn();
    tracker.add(a, Date.now() + 1000);
    tracker.add(b, Date.now() + 1000);
    tracker.failAll(new Error('closed'));
    expect(a).toHaveBeenCalledWith(new Error('closed'));
    expect(b).toHaveBeenCalledWith(new Error('closed'));
  });
});
