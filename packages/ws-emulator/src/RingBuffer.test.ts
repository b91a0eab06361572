import { RingBuffer } from './RingBuffer';

describe('RingBuffer', () => {
  it('keeps only the newest items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) {
      ring.push(i);
    }
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.toArray(2)).toEqual([4, 5]);
  });

  it('works below capacity and at zero capacity', () => {
    const ring = new RingBuffer<string>(4);
    ring.push('a');
    expect(ring.toArray()).toEqual(['a']);
    const none = new RingBuffer<string>(0);
    none.push('a');
    expect(none.toArray()).toEqual([]);
    expect(() => new RingBuffer(-1)).toThrow(/-1/);
  });
});
