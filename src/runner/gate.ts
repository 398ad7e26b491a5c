/**
 * Counting semaphores for the scheduler. A `Gate` bounds what is in flight (requests against a target, or across the
 * run); `gateChain` acquires several in a fixed order (target, then run) and releases them together, so two holders
 * never wait on each other in opposite orders.
 */
import type { RequestGate } from '../http/session.js';

interface Waiter {
  grant: () => void;
}

export class Gate implements RequestGate {
  private active = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`gate limit must be >= 1, got ${limit}`);
  }

  /** Holders right now (for tests and diagnostics). */
  get inFlight(): number {
    return this.active;
  }

  /** Waiting acquirers right now. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /**
   * Resolves with a release function once a slot is free (FIFO). Rejects with the signal's reason if it aborts while
   * waiting; the slot is then never taken. Calling release more than once has no further effect.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    if (this.active < this.limit && this.waiting === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter, this.head);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
    };
  }

  private next(): void {
    while (this.active < this.limit && this.head < this.queue.length) {
      const w = this.queue[this.head++]!;
      this.active++;
      w.grant();
    }
    // Compact the consumed prefix now and then (the queue is an array used as a FIFO).
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Acquires every gate in order (first one first) and releases them all at once. */
export function gateChain(...gates: RequestGate[]): RequestGate {
  return {
    async acquire(signal?: AbortSignal): Promise<() => void> {
      const held: (() => void)[] = [];
      try {
        for (const g of gates) held.push(await g.acquire(signal));
      } catch (e) {
        for (const r of held.reverse()) r();
        throw e;
      }
      return () => {
        for (const r of held.reverse()) r();
      };
    },
  };
}
