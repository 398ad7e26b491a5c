/** An async-iterable queue delivering stream events live, bounded in count and bytes. */

/**
 * A single-consumer live queue: producers push, the consumer iterates as items arrive. Breaking out of a
 * for-await loop does not end the queue; iterating again resumes where it stopped.
 */
export class LiveQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiters: (() => void)[] = [];
  private ended = false;
  private failure: unknown;
  /** Items dropped because nobody consumed them and the pending cap was reached. */
  dropped = 0;

  private pendingBytes = 0;

  constructor(
    private readonly maxPending = Infinity,
    private readonly maxPendingBytes = Infinity,
    private readonly sizeOf: (item: T) => number = () => 0,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    const size = this.sizeOf(item);
    if (this.items.length - this.head >= this.maxPending || this.pendingBytes + size > this.maxPendingBytes) {
      this.dropped++;
      return;
    }
    this.pendingBytes += size;
    this.items.push(item);
    this.wake();
  }

  end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.wake();
  }

  /** Items pushed and not taken yet. */
  get pending(): number {
    return this.items.length - this.head;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.head < this.items.length) {
        const value = this.items[this.head] as T;
        // Release the slot at once: a consumed event must not stay reachable until the next compaction.
        this.items[this.head++] = undefined as T;
        this.pendingBytes -= this.sizeOf(value);
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        return { value, done: false };
      }
      if (this.ended) {
        if (this.failure !== undefined) {
          const f = this.failure;
          this.failure = undefined;
          throw f;
        }
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      // Stopping iteration does not close the underlying stream.
      return: async () => ({ value: undefined, done: true }),
    };
  }
}
