/**
 * Counting semaphores for the scheduler. A `PriorityGate` bounds what is in flight (requests against a target, or
 * across the run); `gateChain` acquires several in a fixed order (target, then run) and releases them together, so two
 * holders never wait on each other in opposite orders.
 *
 * Waiters are served by priority, then in arrival order. The scheduler gives the requests of time-critical checks a
 * higher priority: a check that races an agent's timer (cancel a task while it is still working, subscribe before it
 * ends) must not queue behind a crowd of quick checks, or the task finishes first and the check fails for nothing.
 */
import type { RequestGate } from '../http/session.js';

interface Waiter {
  priority: number;
  grant: () => void;
}

export class PriorityGate implements RequestGate {
  private active = 0;
  /** One FIFO per priority, highest first. */
  private readonly queues: { priority: number; items: Waiter[]; head: number }[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`gate limit must be >= 1, got ${limit}`);
  }

  /** Holders right now (for tests and diagnostics). */
  get inFlight(): number {
    return this.active;
  }

  /** Waiting acquirers right now. */
  get waiting(): number {
    let n = 0;
    for (const q of this.queues) n += q.items.length - q.head;
    return n;
  }

  /**
   * Resolves with a release function once a slot is free (FIFO). Rejects with the signal's reason if it aborts while
   * waiting; the slot is then never taken. Calling release more than once has no further effect.
   */
  acquire(signal?: AbortSignal, priority = 0): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    if (this.active < this.limit && this.waiting === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const q = this.queueFor(priority);
      const waiter: Waiter = {
        priority,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        const i = q.items.indexOf(waiter, q.head);
        if (i >= 0) q.items.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      q.items.push(waiter);
    });
  }

  private queueFor(priority: number) {
    let q = this.queues.find((x) => x.priority === priority);
    if (!q) {
      q = { priority, items: [], head: 0 };
      this.queues.push(q);
      this.queues.sort((a, b) => b.priority - a.priority);
    }
    return q;
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
    for (const q of this.queues) {
      while (this.active < this.limit && q.head < q.items.length) {
        const w = q.items[q.head++]!;
        this.active++;
        w.grant();
      }
      // Compact the consumed prefix now and then (each queue is an array used as a FIFO).
      if (q.head > 1024 && q.head * 2 > q.items.length) {
        q.items.splice(0, q.head);
        q.head = 0;
      }
      if (this.active >= this.limit) return;
    }
  }
}

/** Acquires every gate in order (first one first) and releases them all at once. */
export function gateChain(...gates: RequestGate[]): RequestGate {
  return {
    async acquire(signal?: AbortSignal, priority?: number): Promise<() => void> {
      const held: (() => void)[] = [];
      try {
        for (const g of gates) held.push(await g.acquire(signal, priority));
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
