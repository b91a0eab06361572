/**
 * A fixed-capacity buffer keeping the most recent items.
 * @public
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new TypeError(
        `RingBuffer capacity must be a non-negative integer, got ${capacity}`,
      );
    }
    this.items = new Array(capacity);
  }

  push(item: T): void {
    if (this.capacity === 0) {
      return;
    }
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** The items, oldest first; at most `limit` of the newest. */
  toArray(limit = this.count): T[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out: T[] = [];
    for (let i = n; i > 0; i--) {
      out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}
