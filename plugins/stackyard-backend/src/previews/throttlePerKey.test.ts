import { throttlePerKey } from './throttlePerKey';

describe('throttlePerKey', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires a quiet key at once, then at most once per interval, the last call never lost', () => {
    const fired: string[] = [];
    const throttle = throttlePerKey(1000, key => fired.push(key));
    throttle.notify('a');
    expect(fired).toEqual(['a']);
    // A burst within the interval: one trailing call when it ends.
    for (let i = 0; i < 50; i++) throttle.notify('a');
    expect(fired).toEqual(['a']);
    jest.advanceTimersByTime(999);
    expect(fired).toEqual(['a']);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'a']);
    // The trailing call opened an interval of its own.
    throttle.notify('a');
    expect(fired).toEqual(['a', 'a']);
    jest.advanceTimersByTime(1000);
    expect(fired).toEqual(['a', 'a', 'a']);
    // Quiet for a whole interval: nothing more, and the next call is at once.
    jest.advanceTimersByTime(5000);
    expect(fired).toEqual(['a', 'a', 'a']);
    throttle.notify('a');
    expect(fired).toEqual(['a', 'a', 'a', 'a']);
    throttle.close();
  });

  it('keeps keys apart, and fires nothing after close', () => {
    const fired: string[] = [];
    const throttle = throttlePerKey(1000, key => fired.push(key));
    throttle.notify('a');
    throttle.notify('b');
    throttle.notify('a');
    throttle.notify('b');
    expect(fired).toEqual(['a', 'b']);
    throttle.close();
    jest.advanceTimersByTime(5000);
    expect(fired).toEqual(['a', 'b']);
  });
});
